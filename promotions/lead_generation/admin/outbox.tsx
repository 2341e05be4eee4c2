import { api, type Mail, type MailStatus, type Site } from '../../../admin/api'
import { Badge, type Tone } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { formatCount, formatDateTime } from '../../../admin/format'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'

const pageSize = 20

const mailStatuses: Record<MailStatus, { label: string; tone: Tone }> = {
  outbox: { label: 'Kept in the outbox', tone: 'info' },
  queued: { label: 'Queued', tone: 'warn' },
  sent: { label: 'Sent', tone: 'good' },
  failed: { label: 'Failed', tone: 'bad' },
}

const transports: Record<Mail['transport'], string> = {
  outbox: 'none (no mailer configured)',
  smtp: 'SMTP',
  http: 'HTTP provider',
}

function MailCard({ mail }: { mail: Mail }) {
  const status = mailStatuses[mail.status] ?? { label: mail.status, tone: 'neutral' }
  const title = `mail-${mail.id}`
  return (
    <article class="card mail" aria-labelledby={title}>
      <div class="section-header">
        <h2 id={title}>{mail.subject}</h2>
        <Badge tone={status.tone}>{status.label}</Badge>
      </div>
      <dl class="facts">
        <div>
          <dt>To</dt>
          <dd class="text-value">{mail.to}</dd>
        </div>
        <div>
          <dt>Written</dt>
          <dd>
            <time dateTime={mail.createdAt}>{formatDateTime(mail.createdAt)}</time>
          </dd>
        </div>
        <div>
          <dt>Transport</dt>
          <dd>{transports[mail.transport] ?? mail.transport}</dd>
        </div>
        {mail.sentAt && (
          <div>
            <dt>Sent</dt>
            <dd>
              <time dateTime={mail.sentAt}>{formatDateTime(mail.sentAt)}</time>
            </dd>
          </div>
        )}
        {mail.attempts > 0 && (
          <div>
            <dt>Attempts</dt>
            <dd>{formatCount(mail.attempts)}</dd>
          </div>
        )}
      </dl>
      {mail.lastError && (
        <p class="alert alert-error">
          <span class="visually-hidden">Last error: </span>
          {mail.lastError}
        </p>
      )}
      <pre class="mail-text">{mail.text}</pre>
    </article>
  )
}

interface OutboxPageProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

/**
 * The mail the product wrote, newest first, as plain text: with no mailer configured (development) the
 * confirmations stay here, so they can be read without a mail server.
 */
export function OutboxPage({ sites, site, onSiteChange }: OutboxPageProps) {
  useTitle('Outbox')
  const list = useCursorList<Mail>(
    site?.id ?? '',
    (cursor) => api.listOutbox({ siteId: site?.id, limit: pageSize, cursor }),
    'The outbox could not be loaded.',
  )

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Outbox</h1>
        <button type="button" class="button" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </header>
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <p class="muted">
          Confirmation mail to leads. Without a mailer configured it is kept here instead of being sent.
        </p>
      </div>

      {list.items.map((mail) => (
        <MailCard key={mail.id} mail={mail} />
      ))}
      {list.items.length === 0 && !list.loading && !list.error && (
        <div class="card empty">
          <h2>No mail yet</h2>
          <p class="muted">A lead form that sends a confirmation writes it here when a visitor submits it.</p>
        </div>
      )}

      <ListFooter list={list} loadingText="Loading mail…" />
    </div>
  )
}
