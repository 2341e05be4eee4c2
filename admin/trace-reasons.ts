import type { Frequency } from '../schema/campaign'
import type { TraceEntry } from './api'

function capped(value: number | undefined, reached: string, limit: string): string {
  return value === undefined ? `Capped: its ${limit} limit is reached` : `Capped: ${value} ${reached} reached`
}

/**
 * Why a campaign was or was not chosen, as a marketer would say it. The trace carries no cap values, so they
 * come from `frequency` when it is known (the campaign being edited); otherwise the sentence names the cap.
 */
export function reasonSentence({ outcome, reason, detail }: TraceEntry, frequency?: Frequency): string {
  if (outcome === 'chosen') return 'Chosen: this is what the visitor sees here'
  switch (reason) {
    case 'cap_hour':
      return capped(frequency?.perHour, 'per hour', 'hourly')
    case 'cap_day':
      return capped(frequency?.perDay, 'per day', 'daily')
    case 'cap_week':
      return capped(frequency?.perWeek, 'per week', 'weekly')
    case 'cap_lifetime':
      return capped(frequency?.lifetime, 'in total', 'lifetime')
    case 'gap': {
      const hours = frequency?.minHoursBetween
      return hours ? `Too soon: at least ${hours} hours between views` : 'Too soon after its last view'
    }
    case 'targeting':
      return `Targeting: ${detail ?? 'this visit does not match its rules'}`
    case 'profile':
      return `Audience: the visitor’s profile does not match ${detail ?? 'its rule'}`
    case 'holdout':
      return 'Held out (experiment holdout)'
    case 'paced':
      return 'Paced: ahead of its even delivery'
    case 'fatigue':
      return 'Fatigue: this session already had its one interrupting unit'
    case 'out_of_schedule':
      return 'Outside its schedule'
    case 'no_variants':
      return 'No variant to show'
    case 'used':
      return 'Already chosen for another place on this page'
    case 'lost_draw':
      return 'Lost the weighted draw among campaigns of the same priority'
    case 'lower_priority':
      return 'Lower priority than the chosen campaign'
    case 'kv_unavailable':
      return 'Needs the visitor store, which did not answer'
    default:
      return reason ? `Skipped (${reason})` : 'Skipped'
  }
}
