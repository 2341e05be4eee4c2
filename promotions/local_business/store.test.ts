import { describe, expect, it } from 'vitest'
import { hoursText, parseHoursText, parseSpecialText, specialText } from './store'

describe('hours as one cell', () => {
  it('reads ranges, lists and single days, ranges across Sunday included, and writes them back', () => {
    const parsed = parseHoursText('Mo-Fr 09:00-18:00; Sa,Su 10:00-13:00; Fr 18:00-02:00; Sa-Mo 20:00-22:00')
    expect(parsed).toEqual({
      spans: [
        { days: [1, 2, 3, 4, 5], open: '09:00', close: '18:00' },
        { days: [0, 6], open: '10:00', close: '13:00' },
        { days: [5], open: '18:00', close: '02:00' },
        { days: [0, 1, 6], open: '20:00', close: '22:00' },
      ],
    })
    if ('error' in parsed) throw new Error(parsed.error)
    expect(parseHoursText(hoursText(parsed.spans))).toEqual(parsed)
  })

  it.each(['Mo-Fr 9-18', 'Xx 09:00-18:00', 'Mo 09:00-24:00', 'Mo 09:00'])('refuses %s', (cell) => {
    expect(parseHoursText(cell)).toHaveProperty('error')
  })

  it('reads special days, several spans on one date, and refuses a date both closed and open', () => {
    const parsed = parseSpecialText('2026-12-25 closed; 2026-12-24 09:00-12:00; 2026-12-24 14:00-16:00')
    expect(parsed).toEqual({
      days: [
        { date: '2026-12-25', closed: true },
        {
          date: '2026-12-24',
          spans: [
            { open: '09:00', close: '12:00' },
            { open: '14:00', close: '16:00' },
          ],
        },
      ],
    })
    if ('error' in parsed) throw new Error(parsed.error)
    expect(parseSpecialText(specialText(parsed.days))).toEqual(parsed)
    expect(parseSpecialText('2026-12-25 closed; 2026-12-25 10:00-12:00')).toHaveProperty('error')
    expect(parseSpecialText('2026-02-30 closed')).toHaveProperty('error')
  })
})
