import { object, textOf } from '../../../admin/config-fields'
import type { Config } from '../../../admin/promotion-type'

const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined)
const days = (n: number) => (n === 1 ? 'the last day' : `the last ${n} days`)
const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`)
const products = (ids: unknown) =>
  Array.isArray(ids) && ids.length > 0 ? 'the chosen products' : 'a product'

/**
 * The campaign's own audience as the review says it: "Visitors who left a cart worth at least 40 in the last 7
 * days, leaving out those who converted in the last 14 days." Undefined for a config without a known kind.
 */
export function audienceSummary(config: Config): string | undefined {
  const audience = object(config.audience)
  const lookback = number(audience.lookbackDays)
  let who: string
  switch (textOf(audience.kind)) {
    case 'cart_abandoners': {
      const min = number(audience.minCartValue)
      who = `Visitors who left a cart${min ? ` worth at least ${min}` : ''} in ${days(lookback ?? 7)} without buying`
      break
    }
    case 'viewers': {
      const views = number(audience.minViews) ?? 1
      who = `Visitors who viewed ${products(audience.productIds)}${views > 1 ? ` ${times(views)}` : ''} in ${days(lookback ?? 30)} without buying`
      break
    }
    case 'past_buyers': {
      const orders = number(audience.minOrders) ?? 1
      who = `Visitors who bought ${products(audience.productIds)}${orders > 1 ? ` ${times(orders)}` : ''} in ${days(lookback ?? 180)}`
      break
    }
    case 'lapsed':
      who = `${audience.buyersOnly === true ? 'Past buyers' : 'Visitors'} not seen for ${number(audience.inactiveDays) ?? 30} days`
      break
    case 'saved':
      who = 'Members of a saved audience'
      break
    default:
      return undefined
  }
  const exclude = object(config.exclude)
  const converted = number(exclude.convertedWithinDays)
  const segments = Array.isArray(exclude.segments)
    ? exclude.segments.filter((key) => typeof key === 'string')
    : []
  const leftOut = [
    converted ? `those who converted in ${days(converted)}` : '',
    segments.length > 0 ? `members of ${segments.join(', ')}` : '',
  ].filter(Boolean)
  return `${who}${leftOut.length > 0 ? `, leaving out ${leftOut.join(' and ')}` : ''}.`
}
