import { z } from 'zod'
import { time, uuid } from '../../schema/api'

/**
 * What engagement's endpoints answer (promotions/engagement/server/routes.ts): the schemas its OpenAPI docs
 * (server/docs.ts), its tests and its admin screens (type-only) read the answers through.
 */
export const commentStatus = z.enum(['pending', 'published', 'rejected'])
export const engagementComment = z
  .object({
    id: uuid,
    siteId: uuid,
    campaignId: uuid,
    campaignName: z.string().optional(),
    variantId: uuid.nullable(),
    text: z.string(),
    name: z.string().nullable().optional(),
    status: commentStatus,
    createdAt: time,
    moderatedAt: time.nullable().optional(),
    anonymousId: z.string().nullable(),
  })
  .meta({ id: 'EngagementComment' })
/** A comment in the moderation list, which names its campaign. */
export const listedComment = engagementComment.extend({ campaignName: z.string() })
const publicComment = z.object({ id: uuid, name: z.string().optional(), text: z.string(), createdAt: time })
/**
 * `POST`/`GET /engagements` (public): the campaign's counts (votes only when the poll shows them), this visitor's
 * own state (absent from a GET without `anonymousId`), a stored comment, and a GET's recent published comments.
 */
export const engagementAnswer = z.object({
  counts: z.object({
    likes: z.number().int(),
    reactions: z.record(z.string(), z.number().int()),
    shares: z.number().int(),
    comments: z.number().int(),
    votes: z.record(z.string(), z.number().int()).optional(),
    voters: z.number().int(),
  }),
  state: z
    .object({ liked: z.boolean(), reaction: z.string().nullable(), voted: z.array(z.string()) })
    .optional(),
  comment: publicComment.extend({ status: commentStatus }).optional(),
  comments: z.array(publicComment).optional(),
})

export type EngagementComment = z.infer<typeof engagementComment>
export type ListedComment = z.infer<typeof listedComment>
export type EngagementAnswer = z.infer<typeof engagementAnswer>
