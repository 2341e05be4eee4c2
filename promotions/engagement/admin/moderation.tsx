import { useEffect, useState } from 'preact/hooks'
import { ApiError, api } from '../../../admin/api'
import { Badge, type Tone } from '../../../admin/badge'
import { ListFooter, useCursorList } from '../../../admin/cursor-list'
import { formatDateTime } from '../../../admin/format'
import { ReadOnlyNote, useMay } from '../../../admin/permissions'
import type { ScreenProps } from '../../../admin/promotion-type'
import { SitePicker } from '../../../admin/site-picker'
import { useTitle } from '../../../admin/title'
import { type CommentStatus, commentsApi, type EngagementComment } from './api'

const pageSize = 50

const statusLabels: Record<CommentStatus, { label: string; tone: Tone; list: string }> = {
  pending: { label: 'Waiting', tone: 'warn', list: 'Waiting for approval' },
  published: { label: 'Published', tone: 'good', list: 'Published' },
  rejected: { label: 'Rejected', tone: 'neutral', list: 'Rejected' },
}
const statuses = Object.keys(statusLabels) as CommentStatus[]
const comments = commentsApi()

type Verdict = 'approve' | 'reject'
const verdictStatus: Record<Verdict, CommentStatus> = { approve: 'published', reject: 'rejected' }

/** A site's engagement campaigns, for the campaign filter; the comments list works without them. */
function useEngagementCampaigns(siteId: string | undefined): { id: string; name: string }[] {
  const [campaigns, setCampaigns] = useState<{ id: string; name: string }[]>([])
  useEffect(() => {
    setCampaigns([])
    if (!siteId) return
    let current = true
    api.listCampaigns({ siteId, type: 'engagement', limit: 100 }).then(
      (page) => current && setCampaigns(page.data.map(({ id, name }) => ({ id, name }))),
      () => {
        // Only the filter needs the names.
      },
    )
    return () => {
      current = false
    }
  }, [siteId])
  return campaigns
}

interface CommentCardProps {
  comment: EngagementComment
  busy: boolean
  onVerdict: (comment: EngagementComment, verdict: Verdict) => void
  onDelete: (comment: EngagementComment) => void
}

/** One comment: who wrote it, where and when, its text exactly as sent (as text, never markup), and the actions. */
function CommentCard({ comment, busy, onVerdict, onDelete }: CommentCardProps) {
  const canWrite = useMay('write')
  const status = statusLabels[comment.status] ?? statusLabels.pending
  const who = comment.name?.trim() ? comment.name : 'Anonymous visitor'
  return (
    <article class="card comment" aria-label={`Comment by ${who}`}>
      <header class="comment-header">
        <strong class="comment-name">{who}</strong>
        <span class="muted">
          on {comment.campaignName || comment.campaignId},{' '}
          <time dateTime={comment.createdAt}>{formatDateTime(comment.createdAt)}</time>
        </span>
        <Badge tone={status.tone}>{status.label}</Badge>
      </header>
      <p class="comment-text">{comment.text}</p>
      <div class="comment-actions" hidden={!canWrite}>
        {comment.status !== 'published' && (
          <button
            type="button"
            class="button button-small"
            disabled={busy}
            onClick={() => onVerdict(comment, 'approve')}
          >
            Approve
          </button>
        )}
        {comment.status !== 'rejected' && (
          <button
            type="button"
            class="button button-small"
            disabled={busy}
            onClick={() => onVerdict(comment, 'reject')}
          >
            Reject
          </button>
        )}
        <button
          type="button"
          class="button button-small button-danger"
          disabled={busy}
          onClick={() => onDelete(comment)}
        >
          Delete
        </button>
      </div>
    </article>
  )
}

/**
 * The comments visitors left on engagement units, by status: approve a held comment to publish it, reject one to
 * take it down (it stays, hidden, for the record), or delete it for good.
 */
export function CommentsPage({ sites, site, onSiteChange }: ScreenProps) {
  useTitle('Comments')
  const [status, setStatus] = useState<CommentStatus>('pending')
  const [campaignId, setCampaignId] = useState('')
  const [busy, setBusy] = useState('')
  const [notice, setNotice] = useState('')
  const [problem, setProblem] = useState('')
  const campaigns = useEngagementCampaigns(site?.id)
  const list = useCursorList<EngagementComment>(
    `${site?.id ?? ''}|${status}|${campaignId}`,
    (cursor) =>
      comments.listComments({
        siteId: site?.id,
        status,
        ...(campaignId ? { campaignId } : {}),
        limit: pageSize,
        cursor,
      }),
    'The comments could not be loaded.',
  )

  const act = async (comment: EngagementComment, run: () => Promise<EngagementComment | undefined>) => {
    setBusy(comment.id)
    setNotice('')
    setProblem('')
    try {
      const changed = await run()
      // A comment that left this status's list goes from it; one that stays is shown as it is now.
      list.setItems((items) =>
        changed && changed.status === status
          ? items.map((item) => (item.id === changed.id ? changed : item))
          : items.filter((item) => item.id !== comment.id),
      )
      setNotice(
        changed
          ? `Comment ${changed.status === 'published' ? 'published' : 'rejected'}.`
          : 'Comment deleted.',
      )
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        list.setItems((items) => items.filter((item) => item.id !== comment.id))
        setProblem('That comment no longer exists; it was removed from the list.')
      } else {
        setProblem(error instanceof ApiError ? error.message : 'The comment could not be changed.')
      }
    } finally {
      setBusy('')
    }
  }

  const verdict = (comment: EngagementComment, choice: Verdict) =>
    act(comment, async () => {
      const changed: Partial<EngagementComment> = await comments.moderateComment(comment.id, choice)
      // The API answers the comment; its status is the verdict's even if a field were missing.
      return { ...comment, ...changed, status: changed.status ?? verdictStatus[choice] }
    })

  const remove = (comment: EngagementComment) => {
    if (!window.confirm('Delete this comment for good? It cannot be restored.')) return
    void act(comment, async () => {
      await comments.deleteComment(comment.id)
      return undefined
    })
  }

  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>Comments</h1>
        <button type="button" class="button" onClick={list.reload} disabled={list.loading}>
          Refresh
        </button>
      </header>
      <ReadOnlyNote capability="write" />
      <div class="toolbar">
        <SitePicker sites={sites} site={site} onChange={onSiteChange} />
        <div class="field field-inline">
          <label for="comment-status">Status</label>
          <select
            id="comment-status"
            value={status}
            onChange={(event) => setStatus(event.currentTarget.value as CommentStatus)}
          >
            {statuses.map((option) => (
              <option key={option} value={option}>
                {statusLabels[option].list}
              </option>
            ))}
          </select>
        </div>
        <div class="field field-inline">
          <label for="comment-campaign">Campaign</label>
          <select
            id="comment-campaign"
            value={campaignId}
            onChange={(event) => setCampaignId(event.currentTarget.value)}
          >
            <option value="">All campaigns</option>
            {campaigns.map((campaign) => (
              <option key={campaign.id} value={campaign.id}>
                {campaign.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="muted" role="status">
        {notice}
      </p>
      {problem && (
        <p class="alert alert-error" role="alert">
          {problem}
        </p>
      )}

      {list.items.map((comment) => (
        <CommentCard
          key={comment.id}
          comment={comment}
          busy={busy === comment.id}
          onVerdict={verdict}
          onDelete={remove}
        />
      ))}
      {list.items.length === 0 && !list.loading && !list.error && (
        <div class="card empty">
          <h2>
            {status === 'pending'
              ? 'Nothing waits for approval'
              : `No ${statusLabels[status].list.toLowerCase()} comments`}
          </h2>
          <p class="muted">
            Comments arrive here from engagement units that let visitors comment; with moderation before
            publishing, each one waits here until approved.
          </p>
        </div>
      )}
      <ListFooter list={list} loadingText="Loading comments…" />
    </div>
  )
}
