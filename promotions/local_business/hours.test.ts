import { afterEach, describe, expect, it } from 'vitest'
import { hoursProblem, type OpeningHours, openState, parseDate } from './hours'

const at = (iso: string) => new Date(iso)
const weekdays = [1, 2, 3, 4, 5]

// Calendars used below (worked by hand): 2026-06-01 is a Monday. Paris leaves CET for CEST on Sunday 2026-03-29
// at 02:00 (01:00Z) and comes back on Sunday 2026-10-25 at 03:00 (01:00Z). New York leaves EST on Sunday
// 2026-03-08 at 02:00 (07:00Z) and comes back on Sunday 2026-11-01 at 02:00 (06:00Z).

describe('weekly hours', () => {
  const shop: OpeningHours = {
    timeZone: 'Europe/Paris',
    weekly: [
      { days: weekdays, open: '09:00', close: '18:00' },
      { days: [6], open: '10:00', close: '13:00' },
    ],
  }

  it('is open during a span and says when it closes', () => {
    expect(openState(shop, at('2026-06-03T10:00:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-06-03', weekday: 3, time: '18:00' },
    })
  })

  it('after closing, opens the next morning', () => {
    expect(openState(shop, at('2026-06-03T16:30:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-06-04', weekday: 4, time: '09:00' },
    })
  })

  it('the close minute itself is closed, the open minute open', () => {
    expect(openState(shop, at('2026-06-03T16:00:00Z')).open).toBe(false)
    expect(openState(shop, at('2026-06-03T07:00:00Z')).open).toBe(true)
    expect(openState(shop, at('2026-06-03T06:59:59Z')).open).toBe(false)
  })

  it('after Saturday noon, opens Monday 9:00', () => {
    expect(openState(shop, at('2026-06-06T12:00:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-06-08', weekday: 1, time: '09:00' },
    })
  })

  it('open around the clock has no closing in the week ahead; no hours never open', () => {
    const always: OpeningHours = {
      timeZone: 'Europe/Paris',
      weekly: [{ days: [0, 1, 2, 3, 4, 5, 6], open: '00:00', close: '00:00' }],
    }
    expect(openState(always, at('2026-06-03T10:00:00Z'))).toEqual({ open: true, closesAt: null })
    expect(openState({ timeZone: 'Europe/Paris', weekly: [] }, at('2026-06-03T10:00:00Z'))).toEqual({
      open: false,
      opensAt: null,
    })
  })
})

describe('overnight spans', () => {
  const bar: OpeningHours = {
    timeZone: 'Europe/Paris',
    weekly: [{ days: [5], open: '18:00', close: '02:00' }],
  }

  it("Friday's span is still open early Saturday and closes Saturday 02:00", () => {
    // Saturday 01:30 in Paris.
    expect(openState(bar, at('2026-06-05T23:30:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-06-06', weekday: 6, time: '02:00' },
    })
  })

  it('closed from Saturday 02:00 until next Friday 18:00', () => {
    expect(openState(bar, at('2026-06-06T00:00:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-06-12', weekday: 5, time: '18:00' },
    })
  })

  it('a span that touches the overnight one joins it: closes at the later end', () => {
    const late: OpeningHours = {
      timeZone: 'Europe/Paris',
      weekly: [
        { days: [5], open: '18:00', close: '02:00' },
        { days: [6], open: '00:00', close: '03:00' },
      ],
    }
    expect(openState(late, at('2026-06-05T21:00:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-06-06', weekday: 6, time: '03:00' },
    })
  })
})

describe('daylight saving changes', () => {
  it('Paris, spring forward: the night loses 02:00–03:00 on the clock', () => {
    const bar: OpeningHours = {
      timeZone: 'Europe/Paris',
      weekly: [{ days: [6], open: '20:00', close: '03:30' }],
    }
    // 00:30Z is 01:30 CET; 01:15Z is 03:15 CEST (45 minutes later); 01:30Z is 03:30 CEST.
    expect(openState(bar, at('2026-03-29T00:30:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-03-29', weekday: 0, time: '03:30' },
    })
    expect(openState(bar, at('2026-03-29T01:15:00Z')).open).toBe(true)
    expect(openState(bar, at('2026-03-29T01:30:00Z')).open).toBe(false)
  })

  it('Paris, spring forward: Sunday opening uses the summer offset (07:30Z is 09:30, not 08:30)', () => {
    const sunday: OpeningHours = {
      timeZone: 'Europe/Paris',
      weekly: [{ days: [0], open: '09:00', close: '12:00' }],
    }
    expect(openState(sunday, at('2026-03-29T07:30:00Z')).open).toBe(true)
    expect(openState(sunday, at('2026-03-29T06:30:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-03-29', weekday: 0, time: '09:00' },
    })
  })

  it('Paris, spring forward: an opening time the clock skips opens when the clock passes it', () => {
    const early: OpeningHours = {
      timeZone: 'Europe/Paris',
      weekly: [{ days: [0], open: '02:30', close: '06:00' }],
    }
    expect(openState(early, at('2026-03-29T00:59:00Z')).open).toBe(false) // 01:59 CET
    expect(openState(early, at('2026-03-29T01:00:00Z')).open).toBe(true) // 03:00 CEST
  })

  it('Paris, fall back: 02:30Z is 03:30 CET (not 04:30), so a bar closing at 04:00 is still open', () => {
    const bar: OpeningHours = {
      timeZone: 'Europe/Paris',
      weekly: [{ days: [6], open: '22:00', close: '04:00' }],
    }
    expect(openState(bar, at('2026-10-25T02:30:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-10-25', weekday: 0, time: '04:00' },
    })
    expect(openState(bar, at('2026-10-25T03:00:00Z')).open).toBe(false)
  })

  it('New York, spring forward: 13:30Z on 2026-03-08 is 09:30 EDT, open', () => {
    const shop: OpeningHours = {
      timeZone: 'America/New_York',
      weekly: [{ days: [0], open: '09:00', close: '17:00' }],
    }
    expect(openState(shop, at('2026-03-08T13:30:00Z')).open).toBe(true)
    // A week earlier, still EST: 13:30Z is 08:30.
    expect(openState(shop, at('2026-03-01T13:30:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-03-01', weekday: 0, time: '09:00' },
    })
  })

  it('New York, fall back: 13:30Z on 2026-11-01 is 08:30 EST, not yet open', () => {
    const shop: OpeningHours = {
      timeZone: 'America/New_York',
      weekly: [{ days: [0], open: '09:00', close: '17:00' }],
    }
    expect(openState(shop, at('2026-11-01T13:30:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-11-01', weekday: 0, time: '09:00' },
    })
    expect(openState(shop, at('2026-11-01T21:59:00Z')).open).toBe(true) // 16:59 EST
    expect(openState(shop, at('2026-11-01T22:00:00Z')).open).toBe(false) // 17:00 EST
  })
})

describe('special days', () => {
  const shop: OpeningHours = {
    timeZone: 'Europe/Paris',
    weekly: [
      { days: [1, 2, 3, 4, 5, 6], open: '09:00', close: '19:00' },
      { days: [4], open: '21:00', close: '01:00' },
    ],
    special: [
      { date: '2026-12-24', spans: [{ open: '09:00', close: '16:00' }] },
      { date: '2026-12-25', closed: true },
      { date: '2026-12-20', spans: [{ open: '10:00', close: '18:00' }] },
    ],
  }

  it('a closed day is skipped: on Christmas the next opening is Saturday 9:00', () => {
    expect(openState(shop, at('2026-12-25T10:00:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-12-26', weekday: 6, time: '09:00' },
    })
  })

  it("Christmas Eve's short hours replace Thursday's, evening span included", () => {
    expect(openState(shop, at('2026-12-24T14:00:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-12-24', weekday: 4, time: '16:00' },
    })
    expect(openState(shop, at('2026-12-24T15:30:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-12-26', weekday: 6, time: '09:00' },
    })
  })

  it('a special opening on a Sunday', () => {
    expect(openState(shop, at('2026-12-20T12:00:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-12-20', weekday: 0, time: '18:00' },
    })
    expect(openState(shop, at('2026-12-13T12:00:00Z'))).toEqual({
      open: false,
      opensAt: { date: '2026-12-14', weekday: 1, time: '09:00' },
    })
  })

  it("the day before's overnight span runs into a closed day", () => {
    // Thursday 2026-12-17 21:00–01:00 runs into Friday 18th: 00:30 on Friday in Paris is 23:30Z on Thursday.
    const closedFriday: OpeningHours = { ...shop, special: [{ date: '2026-12-18', closed: true }] }
    expect(openState(closedFriday, at('2026-12-17T23:30:00Z'))).toEqual({
      open: true,
      closesAt: { date: '2026-12-18', weekday: 5, time: '01:00' },
    })
  })
})

describe('a store in another zone than the visitor', () => {
  const originalTz = process.env.TZ
  afterEach(() => {
    process.env.TZ = originalTz
  })
  const tokyo: OpeningHours = {
    timeZone: 'Asia/Tokyo',
    weekly: [{ days: weekdays, open: '10:00', close: '20:00' }],
  }
  const newYork: OpeningHours = { ...tokyo, timeZone: 'America/New_York' }

  it("answers on each store's own clock, whatever the process's zone", () => {
    process.env.TZ = 'Pacific/Auckland'
    // 2026-06-03T15:00Z: Thursday 00:00 in Tokyo, Wednesday 11:00 in New York.
    const instant = at('2026-06-03T15:00:00Z')
    expect(openState(tokyo, instant)).toEqual({
      open: false,
      opensAt: { date: '2026-06-04', weekday: 4, time: '10:00' },
    })
    expect(openState(newYork, instant)).toEqual({
      open: true,
      closesAt: { date: '2026-06-03', weekday: 3, time: '20:00' },
    })
  })
})

describe('hoursProblem', () => {
  it('names the first bad field', () => {
    expect(hoursProblem({ timeZone: 'Mars/Olympus', weekly: [] })?.path).toEqual(['timeZone'])
    expect(
      hoursProblem({ timeZone: 'Europe/Paris', weekly: [{ days: [1], open: '9am', close: '18:00' }] })?.path,
    ).toEqual(['weekly', 0, 'open'])
    expect(
      hoursProblem({ timeZone: 'Europe/Paris', weekly: [{ days: [7], open: '09:00', close: '18:00' }] })
        ?.path,
    ).toEqual(['weekly', 0, 'days'])
    expect(
      hoursProblem({ timeZone: 'Europe/Paris', weekly: [], special: [{ date: '2026-02-30', closed: true }] })
        ?.path,
    ).toEqual(['special', 0, 'date'])
    expect(
      hoursProblem({ timeZone: 'Europe/Paris', weekly: [{ days: [1, 2], open: '09:00', close: '24:00' }] })
        ?.path,
    ).toEqual(['weekly', 0, 'close'])
    expect(
      hoursProblem({ timeZone: 'Europe/Paris', weekly: [{ days: [1], open: '09:00', close: '18:00' }] }),
    ).toBeNull()
  })

  it('parseDate refuses dates that do not exist', () => {
    expect(parseDate('2026-02-29')).toBeNull()
    expect(parseDate('2028-02-29')).not.toBeNull()
  })
})
