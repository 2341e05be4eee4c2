import {
  ItemActions,
  type ItemProps,
  ListField,
  moveItem,
  NumberField,
  object,
  SelectField,
  setIn,
  TextField,
  Toggle,
  textOf,
} from '../../../admin/config-fields'
import { fieldId } from '../../../admin/field'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import { limits } from '../../../schema/limits'
import type { SalesConfig } from '../config'

type Nudge = SalesConfig['nudge']
type Format = SalesConfig['format']
type Goal = SalesConfig['optimizationGoal']
type DiscountType = NonNullable<SalesConfig['discount']>['type']

/* Each list as a Record, so the compiler keeps it in step with the schema's (../config.ts). */

export const nudgeLabels: Record<Nudge, string> = {
  product_promo: 'Product promo cards',
  cart_reminder: 'Cart reminder for a returning visitor',
  checkout: 'Products at checkout',
  upsell: 'Upsell (a better pick)',
  cross_sell: 'Cross-sell (goes with the cart)',
  free_shipping: 'Free-shipping progress bar',
}
export const formatLabels: Record<Format, string> = {
  inline: 'Inline (in a slot)',
  hero: 'Hero (in a slot)',
  sticky: 'Sticky bar',
  sticky_top: 'Bar pinned to the top',
  sticky_bottom: 'Bar pinned to the bottom',
  popup: 'Popup (with an exit trigger: an exit-intent offer)',
}
const goalLabels: Record<Goal, string> = {
  purchase: 'Purchases',
  add_to_cart: 'Add to cart',
  initiate_checkout: 'Checkouts started',
  revenue: 'Revenue',
}
/** `none` is the config without a discount. */
const discountLabels: Record<DiscountType | 'none', string> = {
  none: 'No discount',
  percentage: 'Percentage off the order',
  fixed_amount: 'Fixed amount off the order',
  free_shipping: 'Free shipping',
}

const slotFormats = new Set<string>(['inline', 'hero'])

/** The format a config shows in: its own when the editor knows it, else inline. */
export function formatOf(config: Config): Format {
  const format = textOf(config.format)
  return Object.hasOwn(formatLabels, format) ? (format as Format) : 'inline'
}

/**
 * The config with the schema's defaults filled where it leaves them out, as the API saves and serves it (the tests
 * hold this to the schema's own parse); the schema stays out of the admin bundle.
 */
export function withDefaults(config: Config): Config {
  const filled: Config = {
    nudge: 'product_promo',
    format: 'inline',
    trigger: { on: 'load' },
    products: [],
    productIds: [],
    categoryIds: [],
    promoCodes: [],
    currency: 'USD',
    optimizationGoal: 'purchase',
    ...config,
  }
  if (config.discount !== undefined) filled.discount = { value: 0, ...object(config.discount) }
  if (config.socialProof !== undefined)
    filled.socialProof = { minimum: 5, windowHours: 24, ...object(config.socialProof) }
  return filled
}

/** A new campaign's config: the defaults, as the editor shows them. */
export const defaultSalesConfig = (): Config => withDefaults({ currency: 'EUR' })

/** Error-summary labels for config paths; the longest matching path wins. */
export const salesLabels: Record<string, string> = {
  'config.nudge': 'Nudge',
  'config.format': 'Format',
  'config.trigger': 'Trigger',
  'config.products': 'Products shown',
  'config.productIds': 'Product ids',
  'config.categoryIds': 'Category ids',
  'config.discount': 'Discount',
  'config.discount.type': 'Discount',
  'config.discount.value': 'Discount value',
  'config.promoCodes': 'Codes matched at purchase',
  'config.freeShippingThreshold': 'Free shipping from',
  'config.socialProof': 'Social proof',
  'config.socialProof.minimum': 'Fewest purchases shown',
  'config.socialProof.windowHours': 'Purchases counted over',
  'config.currency': 'Currency',
  'config.optimizationGoal': 'Optimize for',
  'config.dailyBudget': 'Daily budget',
  'config.targetRoas': 'Target ROAS',
}

/** A money or count field at a config path (0 up to a billion, any step unless given); emptied, the key goes. */
function AmountField(
  props: Omit<Parameters<typeof NumberField>[0], 'min' | 'max' | 'step'> & {
    min?: number
    max?: number
    step?: number | 'any'
  },
) {
  return <NumberField min={0} max={1_000_000_000} step="any" {...props} />
}

/** One product the unit shows: its id, name, page, picture, price and struck-through price. */
function ProductRow({ item, index, count, errors, onChange, onMove, onRemove }: ItemProps<Config>) {
  const path = `config.products.${index}`
  const set = (key: string, value: unknown) => onChange(setIn(item, [key], value))
  const name = textOf(item.name)
  const text = (key: string, label: string, max: number) => (
    <TextField
      path={`${path}.${key}`}
      label={label}
      errors={errors}
      value={item[key]}
      max={max}
      kind={key === 'id' ? 'code' : key.endsWith('rl') ? 'url' : 'text'}
      onChange={(value) => set(key, value)}
    />
  )
  return (
    <fieldset class="plain field config-item" id={fieldId(path)} tabIndex={-1}>
      <legend>
        Product {index + 1}
        {name ? `: ${name}` : ''}
      </legend>
      <div class="grid-2">
        {text('name', 'Name', limits.shortText)}
        {text('id', 'Id (SKU)', limits.id)}
        {text('url', 'Product page', limits.url)}
        {text('imageUrl', 'Image address', limits.url)}
        <AmountField
          path={`${path}.price`}
          label="Price"
          errors={errors}
          value={item.price}
          onChange={(v) => set('price', v)}
        />
        <AmountField
          path={`${path}.compareAtPrice`}
          label="Was (struck through)"
          errors={errors}
          value={item.compareAtPrice}
          onChange={(v) => set('compareAtPrice', v)}
        />
      </div>
      <ItemActions
        index={index}
        count={count}
        name={`product ${index + 1}`}
        onMove={onMove}
        onRemove={onRemove}
      />
    </fieldset>
  )
}

/**
 * A sales unit's settings: the nudge and where it shows, the products, the discount its codes give, the
 * free-shipping threshold, social proof, and the money it is judged by. Paths follow the API's, so its errors land
 * on these fields. Promo codes themselves are made on the campaign's Promo codes screen.
 */
export function SalesFields({ config, errors, onChange }: ConfigEditorProps) {
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  const nudge = textOf(config.nudge) || 'product_promo'
  const products = Array.isArray(config.products) ? config.products.map(object) : []
  const setProducts = (next: Config[]) => set('products', next)
  const discount = config.discount === undefined ? undefined : object(config.discount)
  const proof = config.socialProof === undefined ? undefined : object(config.socialProof)
  const shipping = nudge === 'free_shipping'
  return (
    <section class="card" aria-labelledby="sales-title">
      <h2 id="sales-title">Sales</h2>
      <div class="grid-2">
        <SelectField
          path="config.nudge"
          label="Nudge"
          errors={errors}
          labels={nudgeLabels}
          value={nudge}
          onChange={(v) => set('nudge', v)}
        />
        <SelectField
          path="config.format"
          label="Format"
          errors={errors}
          labels={formatLabels}
          value={formatOf(config)}
          onChange={(v) => set('format', v)}
        />
        <TextField
          path="config.currency"
          label="Currency"
          errors={errors}
          value={config.currency}
          max={3}
          kind="code"
          hint="ISO 4217, like EUR or USD: prices are shown in it."
          onChange={(v) => set('currency', v?.trim().toUpperCase())}
        />
        <AmountField
          path="config.freeShippingThreshold"
          label="Free shipping from"
          errors={errors}
          value={config.freeShippingThreshold}
          hint={shipping ? 'The cart total that unlocks free shipping.' : 'Used by the free-shipping bar.'}
          onChange={(v) => set('freeShippingThreshold', v)}
        />
      </div>
      {!slotFormats.has(formatOf(config)) && (
        <p class="field-hint">
          A bar or a popup appears when its trigger fires (Triggers, below); “exit” makes an exit-intent
          offer.
        </p>
      )}

      <h3>Products</h3>
      <p class="field-hint">
        Shown by product cards, in this order. Without any, the unit shows the catalog’s products of the ids
        below.
      </p>
      {products.map((product, index) => (
        <ProductRow
          key={index}
          item={product}
          index={index}
          count={products.length}
          errors={errors}
          onChange={(changed) => setProducts(products.map((p, i) => (i === index ? changed : p)))}
          onMove={(to) => setProducts(moveItem(products, index, to))}
          onRemove={() => setProducts(products.filter((_, i) => i !== index))}
        />
      ))}
      <button
        type="button"
        class="button button-small"
        disabled={products.length >= 24}
        onClick={() => setProducts([...products, { id: '', name: '', url: '' }])}
      >
        Add a product
      </button>
      <div class="grid-2">
        <ListField
          path="config.productIds"
          label="Product ids"
          errors={errors}
          hint="Separated by commas: the products the campaign is about (upsells and cart nudges trigger on them)."
          value={config.productIds}
          onChange={(ids) => set('productIds', ids)}
        />
        <ListField
          path="config.categoryIds"
          label="Category ids"
          errors={errors}
          hint="Separated by commas."
          value={config.categoryIds}
          onChange={(ids) => set('categoryIds', ids)}
        />
      </div>

      <h3>Discount</h3>
      <div class="grid-2">
        <SelectField
          path="config.discount.type"
          label="Discount"
          errors={errors}
          labels={discountLabels}
          value={textOf(discount?.type) || 'none'}
          onChange={(type) =>
            set('discount', type === 'none' ? undefined : { ...discount, type, value: discount?.value ?? 0 })
          }
        />
        {discount && (
          <AmountField
            path="config.discount.value"
            label={
              discount.type === 'percentage'
                ? 'Percent off'
                : discount.type === 'free_shipping'
                  ? 'Shipping it saves'
                  : 'Amount off'
            }
            errors={errors}
            value={discount.value}
            onChange={(v) => set('discount.value', v ?? 0)}
          />
        )}
      </div>
      <ListField
        path="config.promoCodes"
        label="Codes matched at purchase"
        errors={errors}
        hint="Separated by commas: a Purchase event whose coupon is one of these counts as this campaign's. Codes visitors reveal are made on the Promo codes screen."
        value={config.promoCodes}
        onChange={(codes) => set('promoCodes', codes)}
      />

      <h3>Social proof</h3>
      <Toggle
        path="config.socialProof"
        label="Show how many bought each product (stored purchases only)"
        checked={proof !== undefined}
        errors={errors}
        onChange={(on) => set('socialProof', on ? { minimum: 5, windowHours: 24 } : undefined)}
      />
      {proof && (
        <div class="grid-2">
          <AmountField
            path="config.socialProof.minimum"
            label="Fewest purchases shown"
            errors={errors}
            value={proof.minimum}
            min={1}
            max={100_000}
            step={1}
            hint="A smaller count is hidden, never rounded up."
            onChange={(v) => set('socialProof.minimum', v)}
          />
          <AmountField
            path="config.socialProof.windowHours"
            label="Purchases counted over (hours)"
            errors={errors}
            value={proof.windowHours}
            min={1}
            max={720}
            step={1}
            hint="24 shows “bought today”."
            onChange={(v) => set('socialProof.windowHours', v)}
          />
        </div>
      )}

      <h3>Goal and spend</h3>
      <div class="grid-2">
        <SelectField
          path="config.optimizationGoal"
          label="Optimize for"
          errors={errors}
          labels={goalLabels}
          value={textOf(config.optimizationGoal) || 'purchase'}
          onChange={(v) => set('optimizationGoal', v)}
        />
        <AmountField
          path="config.dailyBudget"
          label="Daily budget"
          errors={errors}
          value={config.dailyBudget}
          hint="For ROAS and CPA; promo-code discounts count as cost too."
          onChange={(v) => set('dailyBudget', v)}
        />
        <AmountField
          path="config.targetRoas"
          label="Target ROAS"
          errors={errors}
          value={config.targetRoas}
          max={1000}
          onChange={(v) => set('targetRoas', v)}
        />
      </div>
    </section>
  )
}
