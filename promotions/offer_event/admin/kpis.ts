import { formatCount, formatMoney, formatRate, notAvailable } from '../../../admin/format'
import type { Kpi } from '../../../admin/kpi-cards'
import type { Totals } from '../../../admin/promotion-type'
import { cards, type Steps } from '../../../admin/results-kpis'

/**
 * What the offer_event server adds to a campaign's analytics totals (server/kpis.ts). Each is optional: an answer
 * from a server without them still shows what it has.
 */
export interface OfferEventTotals {
  confirmed?: number
  waitlisted?: number
  cancelled?: number
  attended?: number
  cancellationRate?: number
  attendanceRate?: number
  offerRedemptions?: number
  offerRevenue?: number
  offerDiscount?: number
  countdownCtr?: number
}

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined
const extras = (t: Totals) => t as Totals & OfferEventTotals

/** The cards: RSVPs and where they stand, the cancellation and attendance rates, the offer's redemptions, the countdown's CTR. */
export function offerEventKpis(t: Totals): Kpi[] {
  const x = extras(t)
  const seats = (x.confirmed ?? 0) + (x.attended ?? 0)
  const kpis: Kpi[] = [
    {
      label: 'RSVPs',
      value: formatCount(t.rsvps),
      ...(num(x.confirmed) === undefined
        ? {}
        : { detail: `${formatCount(seats)} confirmed, ${formatCount(x.waitlisted ?? 0)} waitlisted` }),
    },
  ]
  if (num(x.confirmed) !== undefined)
    kpis.push(
      {
        label: 'Cancellation rate',
        value: t.rsvps > 0 ? formatRate(x.cancellationRate ?? 0) : notAvailable,
        detail: t.rsvps > 0 ? `${formatCount(x.cancelled ?? 0)} cancelled` : 'No RSVPs yet',
      },
      {
        label: 'Attendance rate',
        value: seats > 0 ? formatRate(x.attendanceRate ?? 0) : notAvailable,
        detail:
          seats > 0
            ? `${formatCount(x.attended ?? 0)} checked in of ${formatCount(seats)} seats`
            : 'No seats taken yet',
      },
    )
  if (num(x.offerRedemptions) !== undefined)
    kpis.push({
      label: 'Offer redemptions',
      value: formatCount(x.offerRedemptions ?? 0),
      detail:
        x.offerRedemptions && t.cost?.currency
          ? `${formatMoney(x.offerDiscount ?? 0, t.cost.currency)} discount given`
          : "orders that used the offer's code",
    })
  if (num(x.countdownCtr) !== undefined)
    kpis.push({
      label: 'Countdown CTR',
      value: formatRate(x.countdownCtr ?? 0),
      detail: 'clicks per impression',
    })
  kpis.push(cards.conversions(t), cards.revenue(t))
  return kpis
}

/** The RSVPs by where they stand now, once there are any. */
export function offerEventSteps(t: Totals): Steps[] {
  const x = extras(t)
  if (!t.rsvps || num(x.confirmed) === undefined) return []
  const rows = (
    [
      ['Confirmed', x.confirmed],
      ['Checked in', x.attended],
      ['Waitlisted', x.waitlisted],
      ['Cancelled', x.cancelled],
    ] as const
  ).map(([label, n]) => ({ label, value: n ?? 0, text: formatCount(n ?? 0) }))
  return [
    {
      id: 'rsvps-title',
      title: 'RSVPs',
      description: 'RSVPs made in this period, by where they stand now.',
      labelHeading: 'Status',
      valueHeading: 'RSVPs',
      rows,
    },
  ]
}
