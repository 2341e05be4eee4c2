import { useEffect, useState } from 'preact/hooks'
import type { TestEventsAnswer } from '../../schema/api'
import { ApiError, api, type Site } from '../api'
import { formatAmount, formatDateTime } from '../format'
import { Link, root, useLocation } from '../router'
import { SitePicker } from '../site-picker'
import { useTitle } from '../title'

type TestEvent = TestEventsAnswer['events'][number]

/** The match keys a test event may carry, as the table names them. */
const matchKeys: [keyof TestEvent['matchKeys'], string][] = [
  ['em', 'Email'],
  ['ph', 'Phone'],
  ['external_id', 'User id'],
  ['fbc', 'fbc'],
  ['fbp', 'fbp'],
  ['client_user_agent', 'User agent'],
]

/** Which match keys an event carried, in words: never the keys themselves, which the API does not keep. */
export function presentKeys(keys: TestEvent['matchKeys']): string {
  const present = matchKeys.filter(([key]) => keys[key]).map(([, label]) => label)
  return present.length > 0 ? present.join(', ') : 'none'
}

interface TestEventsPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/**
 * Server conversions sent with a test event code, newest first: what a shop's server sends while it is being set
 * up, shown here and never counted. `?siteId=` (the Sites screen's link) chooses the site.
 */
export function TestEventsPage({ sites, site, onSiteChange }: TestEventsPageProps) {
  useTitle('Test events')
  const { search } = useLocation()
  const asked = search.get('siteId')
  const [code, setCode] = useState('')
  const [filter, setFilter] = useState('')
  const [events, setEvents] = useState<TestEvent[]>()
  const [error, setError] = useState('')
  const [attempt, setAttempt] = useState(0)

  useEffect(() => {
    if (asked && asked !== site?.id && sites.some((option) => option.id === asked)) onSiteChange(asked)
  }, [asked])

  useEffect(() => {
    if (!site) return
    let current = true
    setEvents(undefined)
    setError('')
    api.testEvents(site.id, filter || undefined).then(
      (answer) => current && setEvents(answer.events),
      (caught) =>
        current &&
        setError(caught instanceof ApiError ? caught.message : 'The test events could not be loaded.'),
    )
    return () => {
      current = false
    }
  }, [site?.id, filter, attempt])

  return (
    <div class="page">
      <Link class="back" href={`${root}/sites`}>
        ← All sites
      </Link>
      <header class="page-header">
        <h1 tabIndex={-1}>Test events</h1>
      </header>
      <p class="muted">
        Conversions your server sent to <code>/api/v1/conversions</code> with a <code>test_event_code</code>,
        newest first, kept 7 days. They are never counted in analytics, attribution or audiences.
      </p>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <form
          class="field field-inline"
          onSubmit={(event) => {
            event.preventDefault()
            setFilter(code.trim())
          }}
        >
          <label for="test-code">Test code</label>
          <input
            id="test-code"
            value={code}
            maxLength={64}
            placeholder="all codes"
            onInput={(event) => setCode(event.currentTarget.value)}
          />
          <button type="submit" class="button">
            Show
          </button>
        </form>
        <button type="button" class="button" onClick={() => setAttempt((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      {!site && <p class="card empty">Create a site first: test events belong to a site.</p>}
      <section class="card table-card" aria-labelledby="test-events-title">
        <h2 id="test-events-title" class="visually-hidden">
          Test events
        </h2>
        {site && !events && !error && (
          <p class="muted" role="status">
            Loading test events…
          </p>
        )}
        {events && events.length === 0 && (
          <p class="muted">
            {filter
              ? `No test event with the code “${filter}” in the last 7 days.`
              : 'No test event in the last 7 days.'}
          </p>
        )}
        {events && events.length > 0 && (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Event time</th>
                <th scope="col">Code</th>
                <th scope="col">Source</th>
                <th scope="col">Value</th>
                <th scope="col">Match keys present</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <th scope="row">
                    {event.name}
                    <span class="muted">
                      {' '}
                      <code>{event.eventId}</code>
                    </span>
                  </th>
                  <td>{formatDateTime(event.eventTime)}</td>
                  <td>
                    <code>{event.code}</code>
                  </td>
                  <td>{event.actionSource}</td>
                  <td>
                    {event.value === null
                      ? '—'
                      : `${formatAmount(event.value)} ${event.currency ?? ''}`.trim()}
                    {event.items > 0 && <span class="muted"> ({event.items} lines)</span>}
                  </td>
                  <td>{presentKeys(event.matchKeys)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  )
}
