import {
  numberText,
  numberValue,
  object,
  SelectField,
  setIn,
  TextField,
  Toggle,
  textOf,
} from '../../../admin/config-fields'
import { Field } from '../../../admin/field'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import { limits } from '../../../schema/limits'
import type { OfferEventConfig } from '../config'

type Kind = OfferEventConfig['kind']
type Format = OfferEventConfig['format']

/* Each list as a Record, so the compiler keeps it in step with the schema's (config.ts). */
const kindLabels: Record<Kind, string> = {
  flash_sale: 'Flash sale',
  holiday: 'Holiday offer',
  launch: 'Launch',
  seasonal: 'Seasonal offer',
  event: 'Event',
}

const formatLabels: Record<Format, string> = {
  sticky_top: 'Bar at the top',
  sticky_bottom: 'Bar at the bottom',
  sticky: 'Sticky bar',
  hero: 'Hero, in a slot',
  inline: 'Inline, in a slot',
  popup: 'Popup',
}

type ClockKind = 'none' | 'fixed' | 'evergreen'
const clockLabels: Record<ClockKind, string> = {
  none: 'No countdown',
  fixed: 'To a date and time (the same for everyone)',
  evergreen: "Per visitor, from their first view (kept only with the visitor's consent)",
}

const pad = (n: number) => String(n).padStart(2, '0')

/**
 * A `datetime-local` value as an ISO time with the browser's offset at that moment (`2026-12-20T18:00:00+01:00`):
 * an instant, written in the zone the marketer typed it in, which the widget shows as the event's own zone.
 */
export function withOffset(value: string): string | undefined {
  if (!value) return undefined
  const at = new Date(value)
  if (Number.isNaN(at.getTime())) return value
  const offset = -at.getTimezoneOffset()
  const a = Math.abs(offset)
  return `${value.slice(0, 16)}:00${offset < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`
}

/** An ISO time as the `datetime-local` input shows it: its wall time as written, in its own offset. */
export function wallTime(iso: unknown): string {
  const text = textOf(iso)
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(text) && /([+-]\d\d:\d\d)$/.test(text)) return text.slice(0, 16)
  const at = new Date(text)
  if (!text || Number.isNaN(at.getTime())) return ''
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`
}

/** A new campaign's config: a flash-sale bar counting down to a week from now, as the schema takes it. */
export function defaultOfferEventConfig(): Config {
  const inAWeek = new Date(Date.now() + 7 * 86_400_000)
  inAWeek.setSeconds(0, 0)
  return {
    kind: 'flash_sale',
    format: 'sticky_top',
    dismissible: true,
    countdown: { endsAt: inAWeek.toISOString() },
  }
}

/**
 * The config with the schema's defaults filled where it leaves them out, as the API serves it to the widget
 * (the schema stays out of the admin bundle; the tests hold this to its parse).
 */
export function withDefaults(config: Config): Config {
  const filled: Config = { kind: 'flash_sale', format: 'sticky_top', dismissible: true, ...config }
  if (config.event !== undefined)
    filled.event = { isVirtual: false, rsvp: true, waitlist: true, ...object(config.event) }
  return filled
}

/** Error-summary labels for config paths; the longest matching path wins. */
export const offerEventLabels: Record<string, string> = {
  'config.kind': 'Kind',
  'config.format': 'Where it shows',
  'config.countdown': 'Countdown',
  'config.countdown.endsAt': 'Countdown ends',
  'config.countdown.evergreenHours': 'Hours per visitor',
  'config.countdown.endedText': 'Text once ended',
  'config.offer.discountPercent': 'Discount',
  'config.offer.promoCode': 'Promo code',
  'config.offer.terms': 'Terms',
  'config.offer.stock': 'Stock',
  'config.offer.stock.total': 'Units in stock',
  'config.event': 'Event',
  'config.event.startsAt': 'Event starts',
  'config.event.endsAt': 'Event ends',
  'config.event.venue': 'Venue',
  'config.event.venue.name': 'Venue name',
  'config.event.venue.address': 'Venue address',
  'config.event.venue.city': 'City',
  'config.event.venue.country': 'Country',
  'config.event.onlineUrl': 'Online link',
  'config.event.capacity': 'Seats',
  'config.event.rsvpClosesAt': 'RSVPs close',
}

/**
 * An offer or event's settings: what it is and where it shows, its countdown (to a date, or per visitor), the
 * offer (discount, code, stock) and the event (when, where, seats, RSVPs). Paths follow the API's, so its errors
 * land on these fields.
 */
export function OfferEventFields({ config, errors, onChange }: ConfigEditorProps) {
  const countdown = object(config.countdown)
  const offer = object(config.offer)
  const event = object(config.event)
  const venue = object(event.venue)
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  /** Sets a field of an optional part, dropping the part when nothing is left in it. */
  const setPart = (part: 'offer' | 'countdown', key: string, value: unknown) => {
    const next = { ...object(config[part]), [key]: value }
    if (value === undefined) delete next[key]
    onChange(setIn(config, [part], Object.keys(next).length ? next : undefined))
  }
  const clock: ClockKind =
    countdown.evergreenHours !== undefined ? 'evergreen' : config.countdown ? 'fixed' : 'none'
  const chooseClock = (kind: ClockKind) => {
    const endedText = countdown.endedText
    const kept = endedText === undefined ? {} : { endedText }
    if (kind === 'none') set('countdown', undefined)
    else if (kind === 'fixed')
      set('countdown', { endsAt: object(defaultOfferEventConfig().countdown).endsAt, ...kept })
    else set('countdown', { evergreenHours: 24, ...kept })
  }
  const hasEvent = config.event !== undefined
  const hasStock = offer.stock !== undefined

  return (
    <section class="card" aria-labelledby="offer-title">
      <h2 id="offer-title">Offer or event</h2>
      <div class="grid-2">
        <SelectField
          path="config.kind"
          label="Kind"
          errors={errors}
          labels={kindLabels}
          value={textOf(config.kind) || 'flash_sale'}
          onChange={(kind) =>
            onChange(
              kind === 'event' && !hasEvent
                ? setIn(setIn(config, ['kind'], kind), ['event'], newEvent())
                : setIn(config, ['kind'], kind),
            )
          }
        />
        <SelectField
          path="config.format"
          label="Where it shows"
          errors={errors}
          labels={formatLabels}
          value={textOf(config.format) || 'sticky_top'}
          onChange={(format) => set('format', format)}
        />
      </div>
      <Toggle
        path="config.dismissible"
        label="Visitors can close it"
        checked={config.dismissible !== false}
        errors={errors}
        onChange={(on) => set('dismissible', on)}
      />

      <h3>Countdown</h3>
      <SelectField
        path="config.countdown"
        label="Counts down"
        errors={errors}
        labels={clockLabels}
        value={clock}
        onChange={chooseClock}
      />
      {clock === 'fixed' && (
        <Field
          path="config.countdown.endsAt"
          label="Ends at"
          errors={errors}
          hint="In your time zone; every visitor's clock ends at this same instant, shown in their own zone."
        >
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={wallTime(countdown.endsAt)}
              onInput={(e) => set('countdown.endsAt', withOffset(e.currentTarget.value))}
            />
          )}
        </Field>
      )}
      {clock === 'evergreen' && (
        <Field
          path="config.countdown.evergreenHours"
          label="Hours per visitor"
          errors={errors}
          hint="From the visitor's first view. Without consent to store, the offer shows without a clock."
        >
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="decimal"
              value={numberText(countdown.evergreenHours)}
              onInput={(e) => set('countdown.evergreenHours', numberValue(e.currentTarget.value))}
            />
          )}
        </Field>
      )}
      {clock !== 'none' && (
        <TextField
          path="config.countdown.endedText"
          label="Text once it has ended"
          errors={errors}
          max={limits.shortText}
          hint="Shown in place of the clock on a page that still has the unit. Empty: the unit hides."
          value={countdown.endedText}
          onChange={(text) => set('countdown.endedText', text)}
        />
      )}

      <h3>Offer</h3>
      <div class="grid-2">
        <Field path="config.offer.discountPercent" label="Discount (%)" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="decimal"
              value={numberText(offer.discountPercent)}
              onInput={(e) => setPart('offer', 'discountPercent', numberValue(e.currentTarget.value))}
            />
          )}
        </Field>
        <TextField
          path="config.offer.promoCode"
          label="Promo code"
          errors={errors}
          max={50}
          kind="code"
          value={offer.promoCode}
          onChange={(code) => setPart('offer', 'promoCode', code)}
        />
      </div>
      <TextField
        path="config.offer.terms"
        label="Terms"
        errors={errors}
        max={limits.text}
        multiline
        value={offer.terms}
        onChange={(terms) => setPart('offer', 'terms', terms)}
      />
      <Toggle
        path="config.offer.stock"
        label="Limited stock: show what remains, and stop when it is gone"
        checked={hasStock}
        errors={errors}
        onChange={(on) => setPart('offer', 'stock', on ? { total: 100 } : undefined)}
      />
      {hasStock && (
        <Field
          path="config.offer.stock.total"
          label="Units in stock"
          errors={errors}
          hint="Counted down by the redemptions of the promo code (a sales campaign's code of that name)."
        >
          {(control) => (
            <input
              {...control}
              type="text"
              inputMode="numeric"
              value={numberText(object(offer.stock).total)}
              onInput={(e) => set('offer.stock.total', numberValue(e.currentTarget.value))}
            />
          )}
        </Field>
      )}

      <h3>Event</h3>
      <Toggle
        path="config.event"
        label="It is an event people sign up for"
        checked={hasEvent}
        errors={errors}
        onChange={(on) => set('event', on ? newEvent() : undefined)}
      />
      {hasEvent && (
        <>
          <div class="grid-2">
            {(['startsAt', 'endsAt'] as const).map((key) => (
              <Field
                key={key}
                path={`config.event.${key}`}
                label={key === 'startsAt' ? 'Starts' : 'Ends'}
                errors={errors}
                hint="In your time zone, which visitors see as the event's."
              >
                {(control) => (
                  <input
                    {...control}
                    type="datetime-local"
                    value={wallTime(event[key])}
                    onInput={(e) => set(`event.${key}`, withOffset(e.currentTarget.value))}
                  />
                )}
              </Field>
            ))}
          </div>
          <Toggle
            path="config.event.isVirtual"
            label="Online event"
            checked={event.isVirtual === true}
            errors={errors}
            onChange={(on) => set('event.isVirtual', on)}
          />
          {event.isVirtual === true ? (
            <TextField
              path="config.event.onlineUrl"
              label="Online link"
              errors={errors}
              max={limits.url}
              kind="url"
              value={event.onlineUrl}
              onChange={(url) => set('event.onlineUrl', url)}
            />
          ) : (
            <div class="grid-2">
              {(
                [
                  ['name', 'Venue name', limits.shortText],
                  ['address', 'Address', 300],
                  ['city', 'City', 100],
                  ['country', 'Country (ISO code, like FR)', 2],
                ] as const
              ).map(([key, label, max]) => (
                <TextField
                  key={key}
                  path={`config.event.venue.${key}`}
                  label={label}
                  errors={errors}
                  max={max}
                  value={venue[key]}
                  onChange={(text) => {
                    const next = { ...venue, [key]: text }
                    if (text === undefined) delete next[key]
                    set('event.venue', Object.keys(next).length ? next : undefined)
                  }}
                />
              ))}
            </div>
          )}
          <Field
            path="config.event.capacity"
            label="Seats"
            errors={errors}
            hint="Confirmed seats never exceed it. Empty: no limit."
          >
            {(control) => (
              <input
                {...control}
                type="text"
                inputMode="numeric"
                value={numberText(event.capacity)}
                onInput={(e) => set('event.capacity', numberValue(e.currentTarget.value))}
              />
            )}
          </Field>
          <Toggle
            path="config.event.rsvp"
            label="Take RSVPs"
            checked={event.rsvp !== false}
            errors={errors}
            onChange={(on) => set('event.rsvp', on)}
          />
          <Toggle
            path="config.event.waitlist"
            label="Waitlist once full (else refuse)"
            checked={event.waitlist !== false}
            errors={errors}
            onChange={(on) => set('event.waitlist', on)}
          />
          <Field
            path="config.event.rsvpClosesAt"
            label="RSVPs close"
            errors={errors}
            hint="Empty: when the event starts."
          >
            {(control) => (
              <input
                {...control}
                type="datetime-local"
                value={wallTime(event.rsvpClosesAt)}
                onInput={(e) => set('event.rsvpClosesAt', withOffset(e.currentTarget.value))}
              />
            )}
          </Field>
        </>
      )}
    </section>
  )
}

/** An event as the editor starts it: a week from now at 18:00 for an hour, online, RSVPs with a waitlist. */
function newEvent(): Config {
  const day = new Date(Date.now() + 7 * 86_400_000)
  const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`
  return {
    startsAt: withOffset(`${date}T18:00`),
    endsAt: withOffset(`${date}T19:00`),
    isVirtual: true,
    rsvp: true,
    waitlist: true,
  }
}
