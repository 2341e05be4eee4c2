import type { EventItem } from '../schema/events'
import { eventLimits as limits } from '../schema/limits'
import type { Decision } from '../schema/serve'
import { createIdentity } from './identity'
import type { FormatModule } from './kit/context'
import { createListeners, type Listener, type ListenerName } from './listeners'
import { where } from './navigation'
import { createQueueStore } from './queue-store'
import { fetchDecisions } from './serve'
import { browserPorts, createTransport, type TransportPorts } from './transport'
import { createTriggerContext } from './triggers/context'
import type { PromoMethods } from './types'
import type { UnitCore, Units, UnitsModule } from './units'
import { uuid } from './uuid'
import type { ObserveRatio } from './viewability'

export interface Consent {
  analytics: boolean
  personalization: boolean
}

export interface ClientOptions {
  site: string
  api: string
  /** Wait for `consent(...)` before storing or sending anything. */
  pending?: boolean
  loadFormat(type: string): Promise<FormatModule | undefined>
  /**
   * The runtime chunk, fetched with the first page view: the page runtime (the page's Open Graph tags for its
   * `page` events, landings from Promo clicks) and the unit runtime (rendering hosts, viewability, in-view time).
   * Defaults to the manifest's `units` entry.
   */
  loadUnits?: () => Promise<UnitsModule>
  storage?: () => Storage
  transport?: TransportPorts
  observe?: ObserveRatio
}

type Props = Record<string, unknown>
/** What an event may add to the ids, time and URL every event carries. */
type EventFields = Partial<
  Pick<EventItem, 'campaignId' | 'variantId' | 'slot' | 'referrer' | 'value' | 'currency'>
>

/** Meta's standard conversion names: tracking one also tells `conversion` listeners. */
const conversions = new Set(
  (
    'AddPaymentInfo AddToCart AddToWishlist CompleteRegistration Contact CustomizeProduct Donate FindLocation ' +
    'InitiateCheckout Lead Purchase Schedule Search StartTrial SubmitApplication Subscribe ViewContent'
  ).split(' '),
)

/**
 * Event props as the API accepts them: at most 50 keys of strings, finite numbers, booleans and nulls, and a
 * commerce event's `contents` list, passed on as given (the API checks its lines and refuses a wrong one).
 */
function cleanProps(props: unknown): EventItem['props'] {
  if (!props || typeof props !== 'object') return undefined
  const clean: NonNullable<EventItem['props']> = {}
  let count = 0
  for (const [name, value] of Object.entries(props)) {
    // One key stays free for the `promo_dropped` count the transport may add to a batch's first event.
    if (count >= limits.props - 1) break
    const key = name.slice(0, limits.propKey)
    if (
      value === null ||
      value === !!value || // a boolean
      Number.isFinite(value) ||
      // biome-ignore lint/suspicious/useIsArray: a byte less in the loader; an array from another frame is left out
      (key === 'contents' && value instanceof Array)
    ) {
      clean[key] = value as boolean | number | null
    } else if (typeof value === 'string') {
      // Never cut an emoji in half: the API refuses half a surrogate pair.
      const text = (value as string).slice(0, limits.propValue)
      clean[key] = /[\uD800-\uDBFF]$/.test(text) ? text.slice(0, -1) : text
    } else continue
    count++
  }
  return count ? clean : undefined
}

/**
 * Everything `window.Promo` does: consent, identity, events, deciding and drawing units. Nothing here throws
 * into the page; errors go to `error` listeners.
 */
export function createClient(options: ClientOptions) {
  const { site, api } = options
  const listeners = createListeners()
  const { guard, report, emit } = listeners
  /** Global Privacy Control: the visitor asked not to be profiled, whatever the site's banner says. */
  const gpc = (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true
  const choose = (choice?: Consent): Consent => ({
    analytics: !!choice?.analytics,
    personalization: !!choice?.personalization && !gpc,
  })
  let consent = options.pending ? null : choose({ analytics: true, personalization: true })
  const held: (() => void)[] = []
  const storage = options.storage ?? (() => localStorage)
  const canStore = () => !!consent && (consent.analytics || consent.personalization)
  const identity = createIdentity({ storage, canStore })
  const transport = createTransport({
    url: `${api}/api/v1/events`,
    site,
    store: createQueueStore(storage, canStore),
    report,
    ...(options.transport ?? browserPorts),
  })
  // Consent given at start (not pending): the visitor of earlier pages is this page's too, with their unsent events.
  if (consent) {
    identity.load()
    transport.restore()
  }
  const url = () => location.href.slice(0, limits.url)
  let started = false
  let round = 0
  let onStart: () => void
  const whenStarted = new Promise<void>((resolve) => {
    onStart = resolve
  })

  /** Queues an event and answers it, or nothing when consent does not allow sending. */
  function send(name: string, fields: EventFields = {}, props?: EventItem['props'], eventId?: string) {
    if (!consent?.analytics) return
    const event: EventItem = {
      id: uuid(),
      ...(eventId ? { eventId: String(eventId).slice(0, 100) } : {}),
      name: name.slice(0, limits.eventName),
      timestamp: new Date().toISOString(),
      ...identity.ids(),
      url: url(),
      ...fields,
      ...(props ? { props } : {}),
    }
    transport.enqueue(event)
    return event
  }

  const triggers = createTriggerContext(identity.pages, report)
  const core: UnitCore = {
    load: options.loadFormat,
    send,
    clean: cleanProps,
    emit,
    guard,
    report,
    // The visitor's ids go with a lead only when analytics consent lets the SDK keep them.
    sender: () => ({ api, site, ...(consent?.analytics && identity.ids()) }),
    observe: options.observe,
    page: { send, storage, canStore, onTrack: triggers.onTrack },
    triggers,
    // Route changes before `start` (a page view queued by the stub) are no page views of their own.
    routed: () => {
      if (!started) return
      promo.page()
      decide().catch(report)
    },
    path: where(),
  }
  let unitsReady: Promise<Units> | undefined
  let loadedUnits: Units | undefined
  const units = () => {
    unitsReady ??= (
      options.loadUnits?.() ?? (options.loadFormat('units') as unknown as Promise<UnitsModule>)
    ).then(
      (module) => (loadedUnits = module.startUnits(core)),
      (error) => {
        unitsReady = undefined
        throw error
      },
    )
    return unitsReady
  }

  /** Decisions for this page; the user id only goes along when personalization is allowed. */
  const serve = () => {
    const { userId, ...ids } = identity.ids()
    return fetchDecisions(
      api,
      site,
      userId && consent?.personalization ? { ...ids, userId } : ids,
      triggers.pages(),
    )
  }

  /** Draws the decisions (`only` one campaign's, for `show`); loads the unit runtime only when there is something to do. */
  async function draw(decisions: Decision[], slots: Map<string, HTMLElement>, only?: string) {
    if (!decisions.length && !unitsReady) return
    ;(await units()).draw(decisions, slots, only)
  }

  /** Re-decides every unit; an answer that arrives after a newer request was made is dropped. */
  async function decide() {
    const mine = ++round
    const { decisions, slots } = await serve()
    if (mine !== round) return
    await draw(decisions, slots)
  }

  function start() {
    if (started) return
    started = true
    promo.page()
    decide().catch(report)
    onStart()
  }

  function boot() {
    if (!consent) return
    if (document.readyState === 'loading')
      document.addEventListener('DOMContentLoaded', guard(start), { once: true })
    else start()
  }

  /** Until consent is given, calls wait; they run in order afterwards. */
  const afterConsent =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A) => {
      if (consent) fn(...args)
      else held.push(() => fn(...args))
    }

  // In-view time and a landing's last events go into the queue first, so the beacon that drains it carries them.
  const drain = guard(() => {
    loadedUnits?.leaving()
    transport.drain()
  })
  addEventListener('pagehide', drain)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') drain()
  })

  const promo = {
    track: guard(
      afterConsent((name: string, props?: Props, meta?: { eventId?: string }) => {
        const { value, currency, ...rest } = (props ?? {}) as Props
        const fields: EventFields = {}
        // Number.isFinite is false for anything but a finite number (no coercion, unlike the global isFinite).
        if (Number.isFinite(value)) fields.value = value as number
        if (typeof currency === 'string') fields.currency = currency.toUpperCase()
        const clean = cleanProps(rest)
        name = String(name)
        send(name, fields, clean, meta?.eventId)
        // Units that asked (a cart's free-shipping bar) hear the page's own props, contents and value included.
        triggers.tracked(name, props)
        if (conversions.has(name)) emit('conversion', { name, ...fields, props: clean })
      }),
    ),
    page: guard(
      afterConsent((props?: Props) => {
        identity.viewed()
        const event = send(
          'page',
          document.referrer ? { referrer: document.referrer.slice(0, limits.url) } : {},
          cleanProps(props),
        )
        // The page's own tags come from the page runtime, which the first view loads: the event is queued now
        // (its place, time and URL are the view's) and completed when the runtime answers. Queued events wait
        // for the next batch, seconds away, so the tags leave with it.
        units().then((live) => {
          if (event) event.props = cleanProps({ ...live.viewed(), ...props })
        }, report)
      }),
    ),
    identify: guard(
      afterConsent((userId: string, traits?: Props) => {
        if (!userId) return
        identity.identify(String(userId).slice(0, limits.id))
        send('identify', {}, cleanProps(traits))
      }),
    ),
    reset: guard(afterConsent(() => identity.reset())),
    consent: guard((choice: Consent) => {
      const wasPending = !consent
      consent = choose(choice)
      if (canStore()) identity.load()
      else identity.forget()
      if (consent.analytics) transport.restore()
      else transport.clear()
      if (!wasPending) return
      for (const call of held.splice(0)) call()
      boot()
    }),
    /** Re-decides all slots, as after a route change. */
    refresh: guard(
      afterConsent(() => {
        if (started) decide().catch(report)
      }),
    ),
    /** Asks for a fresh decision and draws the given campaign if the API returns it. */
    show: guard(
      afterConsent((campaignId: string) => {
        const shown = async () => {
          await whenStarted
          const { decisions, slots } = await serve()
          await draw(decisions, slots, campaignId)
        }
        shown().catch(report)
      }),
    ),
    on: guard((name: ListenerName, listener: Listener) => listeners.on(name, listener)),
    off: guard((name: ListenerName, listener: Listener) => listeners.off(name, listener)),
    /** For the loader, after the stub's queue ran: begins once the DOM is ready, or at consent if pending. */
    start: guard(boot),
    /** Sends the next batch of events now rather than at the next tick. */
    flush: guard(() => transport.flush()),
    report,
  } satisfies PromoMethods & Record<'start' | 'flush' | 'report', unknown>
  return promo
}
export type Client = ReturnType<typeof createClient>
