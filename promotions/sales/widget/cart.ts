/**
 * The cart value a unit shows, kept current from the page's own commerce events (`Promo.track`), whose props are
 * the page's and unchecked: anything that is not a finite, non-negative number is left out, never trusted.
 */

const amount = (value: unknown) => (typeof value === 'number' && value >= 0 && value < 1e9 ? value : 0)

/**
 * The cart value after one tracked event: `AddToCart` adds what it added, `RemoveFromCart` takes it off (never
 * below 0), `Purchase` empties the cart. What an event added is its `contents`' `item_price` × `quantity` (1 when
 * absent), else its `value`. An event in another currency than the unit's, or any other event, changes nothing.
 */
export function nextValue(
  value: number,
  name: string,
  props: Record<string, unknown> | undefined,
  currency: string | undefined,
): number {
  const sign = name === 'AddToCart' ? 1 : name === 'RemoveFromCart' ? -1 : name === 'Purchase' ? 0 : NaN
  const theirs = props?.currency
  if (Number.isNaN(sign) || (typeof theirs === 'string' && currency && theirs.toUpperCase() !== currency))
    return value
  if (!sign) return 0
  let sum = 0
  const contents = props?.contents
  if (Array.isArray(contents))
    for (const line of contents)
      sum += amount(line?.item_price) * (line?.quantity === undefined ? 1 : amount(line.quantity))
  sum ||= amount(props?.value)
  return Math.max(0, Math.round((value + sign * sum) * 100) / 100)
}

/** A price in the unit's currency, as the visitor's browser writes money; a bare number without a valid currency. */
export function money(value: number, currency: string | undefined): string {
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(value)
  } catch {
    return value.toFixed(2)
  }
}
