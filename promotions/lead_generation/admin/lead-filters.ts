import type { Grade } from '../../../admin/api'
import type { LeadFilters } from './api'

export const grades: readonly Grade[] = ['A', 'B', 'C', 'D']

/** The list's filters as the address bar keeps them: dates are whole UTC days, `to` included. */
export interface LeadFilterForm {
  campaignId: string
  grade: Grade | ''
  from: string
  to: string
  q: string
}

const keys = ['campaignId', 'grade', 'from', 'to', 'q'] as const

export const isGrade = (value: string): value is Grade => (grades as readonly string[]).includes(value)

const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))

export function filterFormFrom(search: URLSearchParams): LeadFilterForm {
  const grade = search.get('grade') ?? ''
  const day = (key: 'from' | 'to') => {
    const value = search.get(key) ?? ''
    return isDay(value) ? value : ''
  }
  return {
    campaignId: search.get('campaignId') ?? '',
    grade: isGrade(grade) ? grade : '',
    from: day('from'),
    to: day('to'),
    q: (search.get('q') ?? '').trim(),
  }
}

/** The address of the list with these filters, empty ones left out. */
export function filterSearch(form: LeadFilterForm): string {
  const search = new URLSearchParams()
  for (const key of keys) {
    const value = form[key].trim()
    if (value) search.set(key, value)
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

const dayMs = 86_400_000

/**
 * The API's filters: leads first captured from the start of `from` to the end of `to` (UTC days, so an export
 * names the same leads wherever it is made), the email search in lower case as leads store it.
 */
export function leadFiltersOf(form: LeadFilterForm, siteId: string | undefined): LeadFilters {
  const filters: LeadFilters = {}
  if (siteId) filters.siteId = siteId
  if (form.campaignId) filters.campaignId = form.campaignId
  if (form.grade) filters.grade = form.grade
  if (isDay(form.from)) filters.from = new Date(Date.parse(form.from)).toISOString()
  if (isDay(form.to)) filters.to = new Date(Date.parse(form.to) + dayMs).toISOString()
  const q = form.q.trim().toLowerCase()
  if (q) filters.q = q
  return filters
}

export const hasFilters = (form: LeadFilterForm) => keys.some((key) => form[key] !== '')
