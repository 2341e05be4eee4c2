import { z } from 'zod'
import { fieldProblem, time, uuid } from '../../schema/api'

/**
 * What traffic's catalog endpoints answer (promotions/traffic/server/routes.ts): the schemas its OpenAPI docs
 * (server/docs.ts), its tests and its admin screens (type-only) read the answers through.
 */
export const contentReview = z.enum(['pending', 'approved', 'rejected'])
export const contentItem = z
  .object({
    id: uuid,
    siteId: uuid,
    url: z.string(),
    title: z.string(),
    imageUrl: z.string().nullable(),
    summary: z.string().nullable(),
    tags: z.array(z.string()),
    category: z.string().nullable(),
    publishedAt: time.nullable(),
    source: z.enum(['admin', 'csv', 'page']),
    review: contentReview,
    impressions: z.number().int(),
    clicks: z.number().int(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'ContentItem' })
export const importResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  rejected: z.array(z.object({ line: z.number().int(), errors: z.array(fieldProblem) })),
})
/** `PUT /content` with `{items: [...]}`: the stored items, and how many were created and updated. */
export const contentUpsertMany = z.object({
  data: z.array(contentItem),
  created: z.number().int(),
  updated: z.number().int(),
})

export type ContentItem = z.infer<typeof contentItem>
export type ContentReview = z.infer<typeof contentReview>
export type ImportResult = z.infer<typeof importResult>
