import type { Pacing, Schedule } from '../../schema/campaign'

/**
 * Even pacing: by time t the campaign may have been shown `goal × elapsed / flight` times (rounded up, at
 * least one), so a goal spreads over the whole flight instead of burning out in its first hours. A campaign
 * ahead of that line waits; one behind it catches up as fast as traffic allows. Undefined outside the flight
 * or without a goal: not paced.
 */
export function paceLimit(
  pacing: Pacing | null | undefined,
  schedule: Schedule,
  now: number,
): number | undefined {
  if (!pacing || !schedule.start || !schedule.end) return undefined
  const start = Date.parse(schedule.start)
  const end = Date.parse(schedule.end)
  if (!(end > start)) return undefined
  const elapsed = Math.min(1, Math.max(0, (now - start) / (end - start)))
  return Math.max(1, Math.ceil(pacing.impressionGoal * elapsed))
}
