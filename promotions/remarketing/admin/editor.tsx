import {
  ListField,
  NumberField,
  object,
  SelectField,
  setIn,
  TextField,
  Toggle,
  textOf,
} from '../../../admin/config-fields'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import type { AudienceKind } from '../../../schema/audiences'
import { limits } from '../../../schema/limits'
import type { RemarketingConfig } from '../config'

type Kind = AudienceKind['kind']
type Format = RemarketingConfig['format']
type IncentiveType = NonNullable<RemarketingConfig['incentive']>['type']

/* Each list as a Record, so the compiler keeps it in step with the schema's (schema/audiences.ts, ../config.ts). */

export const kindLabels: Record<Kind, string> = {
  cart_abandoners: 'Cart abandoners (added to cart, did not buy)',
  viewers: 'Product viewers (looked, did not buy)',
  past_buyers: 'Past buyers',
  lapsed: 'Lapsed visitors (not seen for a while)',
  saved: 'A saved audience',
}
/** A kind's fields when the marketer picks it: the schema's defaults, so the preview and the API agree. */
const kindDefaults: Record<Kind, Config> = {
  cart_abandoners: { kind: 'cart_abandoners', lookbackDays: 7 },
  viewers: { kind: 'viewers', lookbackDays: 30, productIds: [], minViews: 1 },
  past_buyers: { kind: 'past_buyers', lookbackDays: 180, productIds: [], minOrders: 1 },
  lapsed: { kind: 'lapsed', inactiveDays: 30, buyersOnly: false },
  saved: { kind: 'saved', audienceId: '' },
}
export const formatLabels: Record<Format, string> = {
  popup: 'Popup',
  sticky: 'Sticky bar',
  sticky_top: 'Bar pinned to the top',
  sticky_bottom: 'Bar pinned to the bottom',
  inline: 'Inline (in a slot)',
  hero: 'Hero (in a slot)',
}
/** `none` is the config without an incentive. */
const incentiveLabels: Record<IncentiveType | 'none', string> = {
  none: 'No incentive',
  percentage: 'Percentage off',
  fixed_amount: 'Fixed amount off',
  free_shipping: 'Free shipping',
}
const productCounts = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [String(i + 1), String(i + 1)]))

/** The schema's length limits of message 2 (../config.ts). */
const messageMax = { headline: limits.shortText, body: 500, ctaText: 40 } as const

/** The format a config shows in: its own when the editor knows it, else a popup. */
export function formatOf(config: Config): Format {
  const format = textOf(config.format)
  return Object.hasOwn(formatLabels, format) ? (format as Format) : 'popup'
}

/** A new campaign's config: cart abandoners of the last week, in a popup, with their products. */
export const defaultRemarketingConfig = (): Config => ({
  audience: { kind: 'cart_abandoners', lookbackDays: 7 },
  format: 'popup',
  dismissible: true,
  dynamicContent: true,
  maxProducts: 3,
})

/** Error-summary labels for config paths; the longest matching path wins. */
export const remarketingLabels: Record<string, string> = {
  'config.audience': 'Audience',
  'config.audience.kind': 'Audience',
  'config.audience.lookbackDays': 'Looking back (days)',
  'config.audience.minCartValue': 'Smallest cart',
  'config.audience.productIds': 'Product ids',
  'config.audience.minViews': 'Fewest views',
  'config.audience.minOrders': 'Fewest orders',
  'config.audience.inactiveDays': 'Away for (days)',
  'config.audience.audienceId': 'Saved audience id',
  'config.exclude.convertedWithinDays': 'Leave out converters of the last (days)',
  'config.exclude.segments': 'Leave out segments',
  'config.format': 'Format',
  'config.maxProducts': 'Products shown',
  'config.incentive': 'Incentive',
  'config.incentive.value': 'Incentive value',
  'config.incentive.promoCode': 'Promo code',
  'config.incentive.currency': 'Incentive currency',
  'config.incentive.uniqueCodes': 'A code of their own',
  'config.sequence': 'Message 2',
  'config.sequence.afterDays': 'Message 2 after (days)',
  'config.sequence.headline': 'Message 2 headline',
  'config.sequence.body': 'Message 2 text',
  'config.sequence.ctaText': 'Message 2 button',
}

/**
 * A remarketing campaign's settings: who it is for (the audience's kind and its fields, and who is left out), how
 * it shows (format, the visitor's own products), the incentive and its code, and the sequence's message 2. Paths
 * follow the API's, so its errors land on these fields.
 */
export function RemarketingFields({ config, errors, onChange }: ConfigEditorProps) {
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  const audience = object(config.audience)
  const kind = (
    Object.hasOwn(kindLabels, textOf(audience.kind)) ? textOf(audience.kind) : 'cart_abandoners'
  ) as Kind
  const exclude = object(config.exclude ?? { segments: [] })
  const incentive = config.incentive === undefined ? undefined : object(config.incentive)
  const sequence = config.sequence === undefined ? undefined : object(config.sequence)
  const lookback = (
    <NumberField
      path="config.audience.lookbackDays"
      label="Looking back (days)"
      errors={errors}
      value={audience.lookbackDays}
      min={1}
      max={540}
      onChange={(v) => set('audience.lookbackDays', v)}
    />
  )
  const products = (
    <ListField
      path="config.audience.productIds"
      label="Product ids"
      errors={errors}
      hint="Separated by commas; empty for any product."
      value={audience.productIds}
      onChange={(ids) => set('audience.productIds', ids)}
    />
  )
  return (
    <section class="card" aria-labelledby="remarketing-title">
      <h2 id="remarketing-title">Remarketing</h2>
      <h3>Audience</h3>
      <SelectField
        path="config.audience.kind"
        label="Audience"
        errors={errors}
        labels={kindLabels}
        value={kind}
        onChange={(next) => set('audience', { ...kindDefaults[next] })}
      />
      <div class="grid-2">
        {kind === 'cart_abandoners' && (
          <>
            {lookback}
            <NumberField
              path="config.audience.minCartValue"
              label="Smallest cart"
              errors={errors}
              value={audience.minCartValue}
              min={0}
              max={1_000_000_000}
              step="any"
              hint="Empty: any cart."
              onChange={(v) => set('audience.minCartValue', v)}
            />
          </>
        )}
        {kind === 'viewers' && (
          <>
            {lookback}
            <NumberField
              path="config.audience.minViews"
              label="Fewest views"
              errors={errors}
              value={audience.minViews}
              min={1}
              max={100}
              onChange={(v) => set('audience.minViews', v)}
            />
            {products}
          </>
        )}
        {kind === 'past_buyers' && (
          <>
            {lookback}
            <NumberField
              path="config.audience.minOrders"
              label="Fewest orders"
              errors={errors}
              value={audience.minOrders}
              min={1}
              max={1000}
              onChange={(v) => set('audience.minOrders', v)}
            />
            {products}
          </>
        )}
        {kind === 'lapsed' && (
          <NumberField
            path="config.audience.inactiveDays"
            label="Away for (days)"
            errors={errors}
            value={audience.inactiveDays}
            min={1}
            max={540}
            onChange={(v) => set('audience.inactiveDays', v)}
          />
        )}
        {kind === 'saved' && (
          <TextField
            path="config.audience.audienceId"
            label="Saved audience id"
            errors={errors}
            value={audience.audienceId}
            max={36}
            kind="code"
            hint="From the Audiences screen."
            onChange={(v) => set('audience.audienceId', v)}
          />
        )}
      </div>
      {kind === 'lapsed' && (
        <Toggle
          path="config.audience.buyersOnly"
          label="Only visitors who bought before"
          checked={audience.buyersOnly === true}
          errors={errors}
          onChange={(on) => set('audience.buyersOnly', on)}
        />
      )}
      <div class="grid-2">
        <NumberField
          path="config.exclude.convertedWithinDays"
          label="Leave out converters of the last (days)"
          errors={errors}
          value={exclude.convertedWithinDays}
          min={1}
          max={540}
          hint="Empty: keep converters in."
          onChange={(v) => set('exclude', { ...exclude, convertedWithinDays: v })}
        />
        <ListField
          path="config.exclude.segments"
          label="Leave out segments"
          errors={errors}
          hint="Segment keys, separated by commas: their members never see it."
          value={exclude.segments}
          onChange={(keys) => set('exclude', { ...exclude, segments: keys })}
        />
      </div>

      <h3>Reminder</h3>
      <div class="grid-2">
        <SelectField
          path="config.format"
          label="Format"
          errors={errors}
          labels={formatLabels}
          value={formatOf(config)}
          onChange={(v) => set('format', v)}
        />
        <SelectField
          path="config.maxProducts"
          label="Products shown"
          errors={errors}
          labels={productCounts}
          value={String(config.maxProducts ?? 3)}
          onChange={(v) => set('maxProducts', Number(v))}
        />
      </div>
      <Toggle
        path="config.dynamicContent"
        label="Show the very products the visitor viewed or left in the cart (not shown to a visitor with none)"
        checked={config.dynamicContent === true}
        errors={errors}
        onChange={(on) => set('dynamicContent', on)}
      />
      <Toggle
        path="config.dismissible"
        label="Visitors can close it (bars and popups always can)"
        checked={config.dismissible !== false}
        errors={errors}
        onChange={(on) => set('dismissible', on)}
      />

      <h3>Incentive</h3>
      <div class="grid-2">
        <SelectField
          path="config.incentive.type"
          label="Incentive"
          errors={errors}
          labels={incentiveLabels}
          value={textOf(incentive?.type) || 'none'}
          onChange={(type) =>
            set(
              'incentive',
              type === 'none'
                ? undefined
                : { currency: 'USD', uniqueCodes: false, ...incentive, type, value: incentive?.value ?? 0 },
            )
          }
        />
        {incentive && incentive.type !== 'free_shipping' && (
          <NumberField
            path="config.incentive.value"
            label={incentive.type === 'percentage' ? 'Percent off' : 'Amount off'}
            errors={errors}
            value={incentive.value}
            min={0}
            max={incentive.type === 'percentage' ? 100 : 1_000_000}
            step="any"
            onChange={(v) => set('incentive.value', v ?? 0)}
          />
        )}
        {incentive && (
          <TextField
            path="config.incentive.currency"
            label="Currency"
            errors={errors}
            value={incentive.currency ?? 'USD'}
            max={3}
            kind="code"
            hint="ISO 4217, like EUR or USD: the amount off and the codes' orders are in it."
            onChange={(v) => set('incentive.currency', v?.trim().toUpperCase() || undefined)}
          />
        )}
        {incentive && incentive.uniqueCodes !== true && (
          <TextField
            path="config.incentive.promoCode"
            label="Promo code"
            errors={errors}
            value={incentive.promoCode}
            max={50}
            kind="code"
            hint="One code for everyone, shown behind a Reveal code button; letters, digits, _ and -."
            onChange={(v) => set('incentive.promoCode', v?.trim() || undefined)}
          />
        )}
      </div>
      {incentive && (
        <Toggle
          path="config.incentive.uniqueCodes"
          label="Give each visitor a code of their own"
          hint="Revealed from the campaign's pool of unique codes: make the pool on the Promo codes screen once the campaign is saved."
          checked={incentive.uniqueCodes === true}
          errors={errors}
          onChange={(on) =>
            set('incentive', {
              ...incentive,
              uniqueCodes: on,
              promoCode: on ? undefined : incentive.promoCode,
            })
          }
        />
      )}

      <h3>Sequence</h3>
      <Toggle
        path="config.sequence"
        label="Show a second message if the visitor has not bought after some days"
        checked={sequence !== undefined}
        errors={errors}
        onChange={(on) => set('sequence', on ? { afterDays: 3, headline: '' } : undefined)}
      />
      {sequence && (
        <>
          <p class="field-hint">
            Message 1 is the variant’s creative. Message 2 replaces its headline, text and button once the
            days below have passed since the visitor first saw message 1; the link stays the variant’s.
          </p>
          <div class="grid-2">
            <NumberField
              path="config.sequence.afterDays"
              label="Message 2 after (days)"
              errors={errors}
              value={sequence.afterDays}
              min={1}
              max={90}
              onChange={(v) => set('sequence.afterDays', v)}
            />
            <TextField
              path="config.sequence.headline"
              label="Message 2 headline"
              errors={errors}
              value={sequence.headline}
              max={messageMax.headline}
              onChange={(v) => set('sequence.headline', v ?? '')}
            />
            <TextField
              path="config.sequence.body"
              label="Message 2 text"
              errors={errors}
              value={sequence.body}
              max={messageMax.body}
              multiline
              onChange={(v) => set('sequence.body', v || undefined)}
            />
            <TextField
              path="config.sequence.ctaText"
              label="Message 2 button"
              errors={errors}
              value={sequence.ctaText}
              max={messageMax.ctaText}
              onChange={(v) => set('sequence.ctaText', v || undefined)}
            />
          </div>
        </>
      )}
    </section>
  )
}
