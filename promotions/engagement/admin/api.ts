import { type Api, api, type Page, queryString } from '../../../admin/api'
import type { ListedComment, EngagementComment as ModeratedComment } from '../answers'

/** `GET /engagements/comments` lists comments with their campaign's name; a moderation answer has none. */
export type EngagementComment = ListedComment
export type CommentStatus = EngagementComment['status']

export interface CommentQuery {
  siteId?: string
  campaignId?: string
  status?: CommentStatus
  limit?: number
  cursor?: string
}

/** Engagement's admin calls: the comment moderation queue (promotions/engagement/server/routes.ts). */
export function commentsApi(client: Api = api) {
  return {
    listComments: (query: CommentQuery) =>
      client.call<Page<EngagementComment>>('GET', `/engagements/comments${queryString({ ...query })}`),
    /** Publishes a held comment, or takes a published one down. */
    moderateComment: (id: string, verdict: 'approve' | 'reject') =>
      client.call<ModeratedComment>('POST', `/engagements/comments/${encodeURIComponent(id)}/${verdict}`),
    deleteComment: (id: string) =>
      client.call<void>('DELETE', `/engagements/comments/${encodeURIComponent(id)}`),
  }
}
