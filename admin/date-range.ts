const dayMs = 86_400_000

/** The periods results and the overview offer, in days. */
export const ranges = [7, 30, 90] as const
export type Range = (typeof ranges)[number]

/** Whole UTC days, today included, so the series buckets line up with the API's days. */
export function rangeDates(days: number, now = new Date()): { from: string; to: string } {
  const startOfToday = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  return {
    from: new Date(startOfToday - (days - 1) * dayMs).toISOString(),
    to: new Date(startOfToday + dayMs).toISOString(),
  }
}
