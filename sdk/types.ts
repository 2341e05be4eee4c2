/**
 * The public types of the `Promo` JavaScript API: what `window.Promo` offers to a page that loads the script
 * tag, and what `init()` returns to an app that bundles the SDK. This file imports nothing, so the published
 * declarations stand on their own.
 */

/** Meta's standard event names: tracking one of them also tells `conversion` listeners. */
export type MetaStandardEvent =
  | 'AddPaymentInfo'
  | 'AddToCart'
  | 'AddToWishlist'
  | 'CompleteRegistration'
  | 'Contact'
  | 'CustomizeProduct'
  | 'Donate'
  | 'FindLocation'
  | 'InitiateCheckout'
  | 'Lead'
  | 'Purchase'
  | 'Schedule'
  | 'Search'
  | 'StartTrial'
  | 'SubmitApplication'
  | 'Subscribe'
  | 'ViewContent'

/** A Meta standard name where one fits; any other name is a custom event. */
export type TrackEventName = MetaStandardEvent | (string & {})

/** What a property may hold; the SDK drops any other value, and keeps at most 50 properties per event. */
export type PropValue = string | number | boolean | null | undefined

/** Event properties. On `track`, a numeric `value` and a `currency` code go out as the event's revenue. */
export type EventProps = Record<string, PropValue>

export interface TrackOptions {
  /**
   * Your own id for the event (up to 100 characters), such as an order id: the same name and id within 48 hours
   * count once, whether sent again from the page or from your server through `POST /api/v1/conversions`.
   */
  eventId?: string
}

export interface ConsentChoice {
  /** Events may be stored and sent. */
  analytics: boolean
  /** The signed-in user id may be used to choose campaigns. */
  personalization: boolean
}

/** The unit an event is about: what `render`, `impression`, `viewable`, `click` and `close` listeners get. */
export interface PromoUnitEvent {
  campaignId: string
  variantId: string
  /** The campaign type, such as `awareness`. */
  type: string
  /** The variant's format, such as `hero` or `popup`. */
  format: string
  /** The slot the unit was drawn into; absent for page-level units such as popups. */
  slot?: string
}

/** What `conversion` listeners get when a Meta standard event is tracked. */
export interface PromoConversionEvent {
  name: MetaStandardEvent
  value?: number
  /** Upper-case ISO 4217 code, as sent. */
  currency?: string
  /** The event's properties as sent, without `value` and `currency`. */
  props?: Record<string, string | number | boolean | null>
}

/** Each event `Promo.on` can listen to, with the payload its handlers receive. */
export interface PromoEvents {
  /** A unit was drawn on the page. */
  render: PromoUnitEvent
  /** A unit was drawn and its impression counted. */
  impression: PromoUnitEvent
  /** A unit met the MRC viewability rule: half of it in view for a continuous second (see README). */
  viewable: PromoUnitEvent
  /** The visitor activated a unit's link. */
  click: PromoUnitEvent
  /** The visitor closed a unit. */
  close: PromoUnitEvent
  /** The visitor submitted a unit's form. */
  submit: PromoUnitEvent
  conversion: PromoConversionEvent
  /** Something inside the SDK failed; it never throws into the page, it tells these handlers instead. */
  error: unknown
}

export type PromoEventName = keyof PromoEvents
export type PromoEventHandler<E extends PromoEventName> = (payload: PromoEvents[E]) => void

/** The methods of `Promo`. None of them throws; failures go to `error` handlers. */
export interface PromoMethods {
  /** Records an event; Meta standard names (`Purchase` with `value`/`currency`) also count as conversions. */
  track(name: TrackEventName, props?: EventProps, options?: TrackOptions): void
  /** Records a page view; the SDK records the first one and each SPA route change by itself. */
  page(props?: EventProps): void
  /** Ties this visitor to your user id from now on. */
  identify(userId: string, traits?: EventProps): void
  /** Forgets the anonymous and user ids, as at sign-out. */
  reset(): void
  /** Sets the visitor's consent; with `consent: 'pending'`, calls made before it wait and then run in order. */
  consent(choice: ConsentChoice): void
  /** Decides every unit again, as after a route change (which the SDK also detects by itself). */
  refresh(): void
  /** Asks for a fresh decision and draws the given campaign if the API chooses it for this visitor. */
  show(campaignId: string): void
  on<E extends PromoEventName>(event: E, handler: PromoEventHandler<E>): void
  off<E extends PromoEventName>(event: E, handler: PromoEventHandler<E>): void
}

export type PromoMethodName = keyof PromoMethods

/**
 * `Promo`: its methods, and callable by method name like the queue stub that stands in for it until the
 * script has loaded: `Promo('track', 'signup', { plan: 'pro' })`.
 */
export interface PromoApi extends PromoMethods {
  <M extends PromoMethodName>(method: M, ...args: Parameters<PromoMethods[M]>): void
}

/** For `init()`, when the SDK is bundled into the site rather than loaded by the script tag. */
export interface PromoOptions {
  /** The site's publishable key (`pk_…`), as in the script tag's `data-site`. */
  site: string
  /** The Promo API origin, such as `https://promo.example.com`; format chunks load from its `/sdk/`. */
  api: string
  /** `'pending'`: store nothing and send nothing until `consent(...)`. Default `'granted'`. */
  consent?: 'pending' | 'granted'
  /** Also install the API as `window.Promo`, replaying the calls its queue stub holds. Default `false`. */
  global?: boolean
}

declare global {
  interface Window {
    Promo: PromoApi
  }
}
