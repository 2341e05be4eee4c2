import { useEffect, useState } from 'preact/hooks'
import { ApiError, api } from '../../../admin/api'
import { Badge, type Tone } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { formatDateTime } from '../../../admin/format'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import type { ScreenProps } from '../../../admin/promotion-type'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { attendeesApi, type ListedRsvp, type RsvpPage, type RsvpStatus, rsvpsCsvUrl } from './api'

const pageSize = 50
const calls = attendeesApi()

const statusLabels: Record<RsvpStatus, { label: string; tone: Tone }> = {
  confirmed: { label: 'Confirmed', tone: 'good' },
  waitlisted: { label: 'Waitlisted', tone: 'warn' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  attended: { label: 'Attended', tone: 'good' },
}
const statuses = Object.keys(statusLabels) as RsvpStatus[]
type Counts = RsvpPage['counts']
const noCounts: Counts = { confirmed: 0, waitlisted: 0, cancelled: 0, attended: 0 }

/** The site's offer/event campaigns (only those with an event take RSVPs; the API says so for the others). */
function useEvents(siteId: string | undefined) {
  const [events, setEvents] = useState<{ id: string; name: string }[] | undefined>(undefined)
  useEffect(() => {
    setEvents(undefined)
    if (!siteId) return
    let current = true
    api.listCampaigns({ siteId, type: 'offer_event', limit: 100 }).then(
      (page) => current && setEvents(page.data.map(({ id, name }) => ({ id, name }))),
      () => current && setEvents([]),
    )
    return () => {
      current = false
    }
  }, [siteId])
  return events
}

interface RowProps {
  rsvp: ListedRsvp
  busy: boolean
  onAction: (rsvp: ListedRsvp, action: 'check-in' | 'promote' | 'cancel') => void
}

/** One person: name and email as text, status, when, and the actions their status allows. */
function AttendeeRow({ rsvp, busy, onAction }: RowProps) {
  const canWrite = useMay('write')
  const status = statusLabels[rsvp.status]
  const who = rsvp.firstName ? `${rsvp.firstName} (${rsvp.email})` : rsvp.email
  const when = rsvp.attendedAt ?? rsvp.cancelledAt ?? rsvp.promotedAt ?? rsvp.createdAt
  return (
    <tr>
      <th scope="row">{who}</th>
      <td>
        <Badge tone={status.tone}>{status.label}</Badge>
        {rsvp.status === 'waitlisted' && rsvp.position !== null && (
          <span class="muted"> #{rsvp.position}</span>
        )}
      </td>
      <td>
        <time dateTime={when}>{formatDateTime(when)}</time>
      </td>
      <td>
        {canWrite && rsvp.status === 'confirmed' && (
          <button
            type="button"
            class="button button-small"
            disabled={busy}
            aria-label={`Check in ${rsvp.email}`}
            onClick={() => onAction(rsvp, 'check-in')}
          >
            Check in
          </button>
        )}
        {canWrite && rsvp.status === 'waitlisted' && (
          <button
            type="button"
            class="button button-small"
            disabled={busy}
            aria-label={`Promote ${rsvp.email} to confirmed`}
            onClick={() => onAction(rsvp, 'promote')}
          >
            Promote
          </button>
        )}
        {canWrite && (rsvp.status === 'confirmed' || rsvp.status === 'waitlisted') && (
          <button
            type="button"
            class="button button-small button-danger"
            disabled={busy}
            aria-label={`Cancel the RSVP of ${rsvp.email}`}
            onClick={() => onAction(rsvp, 'cancel')}
          >
            Cancel
          </button>
        )}
      </td>
    </tr>
  )
}

/** The check-in field: the code from the attendee's mail, typed or scanned (a scanner types and presses Enter). */
function CheckInForm({ campaignId, onDone }: { campaignId: string; onDone: (message: string) => void }) {
  const [code, setCode] = useState('')
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    if (!code.trim()) return
    setBusy(true)
    setProblem('')
    try {
      const answer = await calls.checkInCode(campaignId, code)
      setCode('')
      onDone(
        answer.alreadyCheckedIn
          ? `${answer.rsvp.email} was already checked in.`
          : `${answer.rsvp.email} is checked in.`,
      )
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'The code could not be checked.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <form class="toolbar" onSubmit={submit}>
      <div class="field field-inline">
        <label for="check-in-code">Check-in code</label>
        <input
          id="check-in-code"
          value={code}
          maxLength={40}
          autoComplete="off"
          placeholder="ABCD-EFGH"
          aria-describedby={problem ? 'check-in-problem' : undefined}
          aria-invalid={problem ? true : undefined}
          onInput={(event) => setCode(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button" disabled={busy}>
        Check in
      </button>
      {problem && (
        <p id="check-in-problem" class="alert alert-error" role="alert">
          {problem}
        </p>
      )}
    </form>
  )
}

/**
 * An event's attendees: counts by status, the list filtered by status, check-in (a row's button, or the code the
 * attendee shows), promoting a waitlisted person into a free seat, cancelling, and the CSV of the list.
 */
export function AttendeesPage({ sites, site, onSiteChange }: ScreenProps) {
  useTitle('Attendees')
  const canWrite = useMay('write')
  const events = useEvents(site?.id)
  const [chosen, setChosen] = useState('')
  const [status, setStatus] = useState<RsvpStatus | ''>('')
  const [counts, setCounts] = useState<Counts>(noCounts)
  const [busy, setBusy] = useState('')
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState('')
  const campaignId = events?.some((e) => e.id === chosen) ? chosen : (events?.[0]?.id ?? '')

  const list = useCursorList<ListedRsvp>(
    `${campaignId}|${status}`,
    async (cursor) => {
      if (!campaignId) return { data: [], nextCursor: null }
      const page = await calls.list(campaignId, {
        ...(status ? { status } : {}),
        limit: pageSize,
        ...(cursor ? { cursor } : {}),
      })
      setCounts(page.counts)
      return page
    },
    'The attendees could not be loaded.',
  )

  const act = async (rsvp: ListedRsvp, action: 'check-in' | 'promote' | 'cancel') => {
    if (action === 'cancel' && !window.confirm(`Cancel the RSVP of ${rsvp.email}?`)) return
    setBusy(rsvp.id)
    setNotice('')
    setProblem('')
    try {
      const run = { 'check-in': calls.checkIn, promote: calls.promote, cancel: calls.cancel }[action]
      const answer = await run(campaignId, rsvp.id)
      const done = {
        'check-in': `${rsvp.email} is checked in.`,
        promote: `${rsvp.email} is confirmed.`,
        cancel: answer.promoted
          ? `${rsvp.email} is cancelled; ${answer.promoted.email} got the seat.`
          : `${rsvp.email} is cancelled.`,
      }[action]
      setNotice(done)
      list.reload()
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'The RSVP could not be changed.')
    } finally {
      setBusy('')
    }
  }

  const checkedIn = (message: string) => {
    setProblem('')
    setNotice(message)
    list.reload()
  }

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Attendees</h1>
        {campaignId && (
          <a class="button" href={rsvpsCsvUrl(campaignId, status || undefined)} download>
            Export CSV
          </a>
        )}
      </header>
      <ReadOnlyNote capability="write" />
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <div class="field field-inline">
          <label for="attendees-event">Event</label>
          <select
            id="attendees-event"
            value={campaignId}
            disabled={!events?.length}
            onChange={(event) => setChosen(event.currentTarget.value)}
          >
            {(events ?? []).map((event) => (
              <option key={event.id} value={event.id}>
                {event.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-inline">
          <label for="attendees-status">Status</label>
          <select
            id="attendees-status"
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as RsvpStatus | '')}
          >
            <option value="">All</option>
            {statuses.map((option) => (
              <option key={option} value={option}>
                {statusLabels[option].label}
              </option>
            ))}
          </select>
        </div>
      </div>

      {campaignId && (
        <>
          <ul class="toolbar" aria-label="Counts by status">
            {statuses.map((option) => (
              <li key={option}>
                {statusLabels[option].label}: <strong>{counts[option]}</strong>
              </li>
            ))}
          </ul>
          {canWrite && <CheckInForm campaignId={campaignId} onDone={checkedIn} />}
        </>
      )}
      <p class="muted" role="status">
        {notice}
      </p>
      {problem && (
        <p class="alert alert-error" role="alert">
          {problem}
        </p>
      )}

      {events && events.length === 0 && (
        <div class="card empty">
          <h2>No events yet</h2>
          <p class="muted">Create an offer or event campaign with an event; its RSVPs are listed here.</p>
        </div>
      )}
      {list.items.length > 0 && (
        <div class="card table-card">
          <table class="table">
            <caption class="visually-hidden">
              {status ? `${statusLabels[status].label} RSVPs` : 'All RSVPs'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Status</th>
                <th scope="col">Since</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((rsvp) => (
                <AttendeeRow key={rsvp.id} rsvp={rsvp} busy={busy === rsvp.id} onAction={act} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {campaignId && list.items.length === 0 && !list.loading && !list.error && (
        <div class="card empty">
          <h2>{status ? `No ${statusLabels[status].label.toLowerCase()} RSVPs` : 'No RSVPs yet'}</h2>
        </div>
      )}
      <ListFooter list={list} loadingText="Loading attendees…" />
    </div>
  )
}
