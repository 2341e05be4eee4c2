import { api, type Delivery, type Webhook } from '../../../admin/api'
import { Badge, type Tone } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { formatCount, formatDateTime } from '../../../admin/format'

const deliveryStatuses: Record<Delivery['status'], { label: string; tone: Tone }> = {
  pending: { label: 'Pending', tone: 'warn' },
  succeeded: { label: 'Delivered', tone: 'good' },
  failed: { label: 'Given up', tone: 'bad' },
}

/** Each event sent to one webhook, newest first: how it went, how often it was tried, and when it is tried next. */
export function DeliveryLog({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const list = useCursorList<Delivery>(
    webhook.id,
    (cursor) => api.listDeliveries(webhook.id, cursor),
    'The delivery log could not be loaded.',
  )
  return (
    <section class="card table-card" aria-labelledby="deliveries-title">
      <div class="section-header">
        <h2 id="deliveries-title">
          Deliveries to <span class="text-value">{webhook.url}</span>
        </h2>
        <div class="row">
          <button type="button" class="button button-small" onClick={list.reload} disabled={list.loading}>
            Refresh
          </button>
          <button type="button" class="button button-small" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
      {list.items.length > 0 ? (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Event at</th>
              <th scope="col">Event</th>
              <th scope="col">Status</th>
              <th scope="col" class="numeric">
                Attempts
              </th>
              <th scope="col" class="numeric">
                Last HTTP status
              </th>
              <th scope="col">Next attempt</th>
              <th scope="col">Last error</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((delivery) => {
              const status = deliveryStatuses[delivery.status] ?? { label: delivery.status, tone: 'neutral' }
              return (
                <tr key={delivery.id}>
                  <th scope="row">
                    <time dateTime={delivery.createdAt}>{formatDateTime(delivery.createdAt)}</time>
                  </th>
                  <td>
                    <code>{delivery.event}</code>
                  </td>
                  <td>
                    <Badge tone={status.tone}>{status.label}</Badge>
                  </td>
                  <td class="numeric">{formatCount(delivery.attempts)}</td>
                  <td class="numeric">{delivery.lastStatus ?? '—'}</td>
                  <td>
                    {delivery.nextAttemptAt ? (
                      <time dateTime={delivery.nextAttemptAt}>{formatDateTime(delivery.nextAttemptAt)}</time>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td class="text-value">{delivery.lastError ?? ''}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      ) : (
        !list.loading &&
        !list.error && (
          <p class="table-card-note muted">Nothing sent yet: deliveries start with the next lead.</p>
        )
      )}
      <div class="table-card-footer">
        <ListFooter list={list} loadingText="Loading deliveries…" />
      </div>
    </section>
  )
}
