import { useEffect, useState } from 'preact/hooks'
import { ApiError, type Erasure, type PersonData, type Site } from '../../../admin/api'
import { formatCount } from '../../../admin/format'
import { useMay } from '../../../admin/permissions'
import { leadsApi } from './api'

const leads = leadsApi()

const counted = (count: number, one: string, many: string) =>
  `${formatCount(count)} ${count === 1 ? one : many}`

/** "1 lead, 2 submissions and 1 mail", then webhook deliveries, visitor ids and server conversions when any. */
export function describeCounts({
  leads,
  submissions,
  mail,
  webhookDeliveries,
  visitors,
  serverEvents,
}: Erasure['deleted']): string {
  const parts = [
    counted(leads, 'lead', 'leads'),
    counted(submissions, 'submission', 'submissions'),
    counted(mail, 'mail', 'mails'),
    ...(webhookDeliveries ? [counted(webhookDeliveries, 'webhook delivery', 'webhook deliveries')] : []),
    ...(visitors ? [`the browsing of ${counted(visitors, 'visitor id', 'visitor ids')}`] : []),
    ...(serverEvents ? [counted(serverEvents, 'server conversion', 'server conversions')] : []),
  ]
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
}

function countsOf(person: PersonData): Erasure['deleted'] {
  return {
    leads: person.leads.length,
    submissions: person.leads.reduce((sum, lead) => sum + lead.submissions.length, 0),
    mail: person.leads.reduce((sum, lead) => sum + lead.mail.length, person.mail.length),
    webhookDeliveries: person.leads.reduce(
      (sum, lead) => sum + lead.webhookDeliveries.length,
      person.webhookDeliveries.length,
    ),
    visitors: person.visitors.length,
    serverEvents: person.serverEvents.length,
  }
}

const nothingIn = (counts: Erasure['deleted']) => Object.values(counts).every((n) => n === 0)

/** A file name that keeps the email readable and nothing a file system could take for a path. */
const fileName = (email: string) => `promo-person-${email.replace(/[^a-z0-9@._-]+/gi, '_')}.json`

type Found = { person: PersonData; url: string }

/**
 * A privacy request for one email on one site: look it up, hand the person everything stored about them as a
 * JSON file (the API's answer, as it came), or erase it after a confirmation that names what goes.
 */
export function PrivacyPanel({ site, onErased }: { site: Site; onErased?: () => void }) {
  // Erasing is a write (DELETE /leads/person): a member whose role only reads may look up and download.
  const canErase = useMay('write')
  const [email, setEmail] = useState('')
  const [found, setFound] = useState<Found>()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')

  // Each lookup makes a download address for its answer; the previous one is let go.
  useEffect(() => {
    if (!found) return
    return () => URL.revokeObjectURL(found.url)
  }, [found])
  useEffect(() => {
    setFound(undefined)
    setNotice('')
    setError('')
  }, [site.id])

  const lookUp = async (event: Event) => {
    event.preventDefault()
    const wanted = email.trim()
    if (!wanted) {
      setError('Enter the email of the person who asked.')
      return
    }
    setBusy(true)
    setError('')
    setNotice('')
    setFound(undefined)
    try {
      const person = await leads.findPerson(wanted, site.id)
      const file = new Blob([`${JSON.stringify(person, null, 2)}\n`], { type: 'application/json' })
      setFound({ person, url: URL.createObjectURL(file) })
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'The lookup failed.')
    } finally {
      setBusy(false)
    }
  }

  const erase = async () => {
    if (!found) return
    const { email: who } = found.person
    const what = describeCounts(countsOf(found.person))
    if (!window.confirm(`Erase ${what} stored about ${who} on ${site.name}? This cannot be undone.`)) return
    setBusy(true)
    setError('')
    try {
      const erased = await leads.erasePerson(who, site.id)
      setFound(undefined)
      setNotice(`Erased ${describeCounts(erased.deleted)} about ${erased.email}.`)
      onErased?.()
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : 'Nothing was erased: the request failed.')
    } finally {
      setBusy(false)
    }
  }

  const stored = found && countsOf(found.person)

  return (
    <section class="card" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Privacy request</h2>
      <p class="muted">
        Everything stored about one person on {site.name}: their leads, every submission with its consent, and
        the mail sent to them. Download it for an access request; erase it for a deletion request.
      </p>
      <form class="row" noValidate onSubmit={lookUp} aria-busy={busy}>
        <div class="field field-inline">
          <label for="privacy-email">Email</label>
          <input
            id="privacy-email"
            type="email"
            autoComplete="off"
            spellcheck={false}
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button" disabled={busy}>
          Look up
        </button>
      </form>
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <p role="status">
        {notice ||
          (found && stored
            ? nothingIn(stored)
              ? `Nothing is stored about ${found.person.email} on ${site.name}.`
              : `Stored about ${found.person.email}: ${describeCounts(stored)}.`
            : '')}
      </p>
      {found && stored && !nothingIn(stored) && (
        <div class="row">
          <a class="button" href={found.url} download={fileName(found.person.email)}>
            Download data (JSON)
          </a>
          {canErase && (
            <button type="button" class="button button-danger" disabled={busy} onClick={erase}>
              Erase this person
            </button>
          )}
        </div>
      )}
    </section>
  )
}
