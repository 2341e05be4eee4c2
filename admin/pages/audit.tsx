import { type AuditEntry, api } from '../api'
import { ListFooter, useCursorList } from '../cursor-list'
import { formatDateTime } from '../format'
import { useTitle } from '../title'

/** One field that differs between a campaign's before and after, by its dotted path. */
export interface Change {
  path: string
  before: string
  after: string
}

/** Never shown as changes: they change on every save. */
const noise = new Set(['updatedAt'])

const show = (value: unknown) => (value === undefined ? '—' : JSON.stringify(value))

/**
 * The fields that differ between two JSON values, depth first; arrays of equal length compare item by item,
 * others (and a truncated snapshot) as a whole. At most `max` changes.
 */
export function changes(before: unknown, after: unknown, path = '', max = 50): Change[] {
  const out: Change[] = []
  const walk = (a: unknown, b: unknown, at: string) => {
    if (out.length >= max) return
    if (JSON.stringify(a) === JSON.stringify(b)) return
    const objects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null
    const sameKind = objects && Array.isArray(a) === Array.isArray(b)
    const arrays = Array.isArray(a) && Array.isArray(b)
    if (sameKind && (!arrays || (a as unknown[]).length === (b as unknown[]).length)) {
      const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)])
      for (const key of keys) {
        if (!at && noise.has(key)) continue
        walk(
          (a as Record<string, unknown>)[key],
          (b as Record<string, unknown>)[key],
          at ? `${at}.${key}` : key,
        )
      }
      return
    }
    out.push({ path: at || '(whole)', before: show(a), after: show(b) })
  }
  walk(before, after, path)
  return out
}

/** Who made a change: the member's email as it was, or the secret key's prefix. */
export function authorOf(entry: AuditEntry): string {
  if (entry.actorEmail) return entry.actorEmail
  if (entry.actor.startsWith('key:')) return `Secret key ${entry.actor.slice(4)}…`
  return entry.actor
}

function Diff({ entry }: { entry: AuditEntry }) {
  if (entry.before === null && entry.after === null) return null
  if (entry.before === null) {
    const name = (entry.after as { name?: unknown } | null)?.name
    return <p class="muted">New{typeof name === 'string' ? `: ${name}` : ''}</p>
  }
  const list = changes(entry.before, entry.after)
  if (list.length === 0) return <p class="muted">No field changed.</p>
  return (
    <details>
      <summary>
        {list.length} {list.length === 1 ? 'field' : 'fields'} changed
      </summary>
      <table class="table audit-diff">
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {list.map((change) => (
            <tr key={change.path}>
              <th scope="row">
                <code>{change.path}</code>
              </th>
              <td>
                <code>{change.before}</code>
              </td>
              <td>
                <code>{change.after}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

export function AuditPage() {
  useTitle('Audit log')
  const list = useCursorList<AuditEntry>(
    'audit',
    (cursor) => api.audit({ cursor, limit: 50 }),
    'The audit log could not be loaded.',
  )
  return (
    <div class="page">
      <div class="page-header">
        <h1 tabIndex={-1}>Audit log</h1>
      </div>
      <p class="muted">
        Every change made in the admin or with a secret key: who, what and when, newest first.
      </p>
      <section class="card table-card" aria-labelledby="audit-title">
        <h2 id="audit-title" class="visually-hidden">
          Changes
        </h2>
        {!list.loading && list.items.length === 0 && !list.error && <p class="muted">No changes yet.</p>}
        {list.items.length > 0 && (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((entry) => (
                <tr key={entry.id}>
                  <td>{formatDateTime(entry.createdAt)}</td>
                  <th scope="row">{authorOf(entry)}</th>
                  <td>
                    <code>
                      {entry.method} {entry.route.replace(/^\/api\/v1/, '')}
                    </code>
                    {entry.entityId && (
                      <span class="muted">
                        {' '}
                        <code>{entry.entityId}</code>
                      </span>
                    )}
                  </td>
                  <td>
                    <Diff entry={entry} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ListFooter list={list} loadingText="Loading the audit log…" />
      </section>
    </div>
  )
}
