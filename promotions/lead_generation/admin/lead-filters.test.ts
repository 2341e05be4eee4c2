import { describe, expect, it } from 'vitest'
import { filterFormFrom, filterSearch, leadFiltersOf } from './lead-filters'

describe('lead filters', () => {
  it('ignores what the address holds that is not a filter value', () => {
    const form = filterFormFrom(new URLSearchParams('grade=Z&from=yesterday&to=2025-02-30x&q=%20ada%20&x=1'))
    expect(form).toEqual({ campaignId: '', grade: '', from: '', to: '', q: 'ada' })
    expect(filterSearch(form)).toBe('?q=ada')
  })

  it('asks for whole UTC days with the last one included, and the email as leads store it', () => {
    const form = filterFormFrom(new URLSearchParams('from=2024-12-31&to=2024-12-31&q=Ada@Example'))
    expect(leadFiltersOf(form, 's1')).toEqual({
      siteId: 's1',
      from: '2024-12-31T00:00:00.000Z',
      to: '2025-01-01T00:00:00.000Z',
      q: 'ada@example',
    })
    expect(leadFiltersOf(filterFormFrom(new URLSearchParams()), undefined)).toEqual({})
  })
})
