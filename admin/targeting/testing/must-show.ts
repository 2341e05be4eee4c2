import type { Schedule } from '../../../schema/campaign'
import type { Targeting } from '../../../schema/targeting'
import type { Trigger } from '../../../schema/trigger'

/**
 * The must-show campaign settings, exactly as the admin's editors produce them: the editor tests
 * assert the editors build these values, and the API test (api/http/routes/campaign-targeting.test.ts)
 * creates a campaign with them.
 */
export const mobileFromNewsletter: Targeting = {
  include: {
    all: [
      { field: 'device', op: 'in', values: ['mobile'] },
      { field: 'utm_source', op: 'equals', value: 'newsletter' },
    ],
  },
}

export const scrollHalfway: Trigger = { on: 'scroll', percent: 50 }

export const weekdaysNineToFive: Required<Pick<Schedule, 'timezone' | 'dayparting'>> = {
  timezone: 'Europe/Paris',
  dayparting: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
}
