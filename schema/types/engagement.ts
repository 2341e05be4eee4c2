import { z } from 'zod'
import { httpUrl } from '../campaign'
import { limits } from '../limits'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

export const engagementTypes = ['like', 'react', 'share', 'comment', 'vote', 'rsvp'] as const
export const shareNetworks = ['facebook', 'x', 'linkedin', 'email', 'copy', 'webshare'] as const
export const reactions = ['like', 'love', 'haha', 'wow', 'sad', 'angry'] as const

const share = z.strictObject({
  networks: z
    .array(z.enum(shareNetworks))
    .min(1)
    .max(shareNetworks.length)
    .default([...shareNetworks]),
  /** The link shared; without it, the page the visitor is on. */
  url: httpUrl.optional(),
  text: text(280).optional(),
  hashtags: z
    .array(z.string().regex(/^[\p{L}\p{N}_]{1,50}$/u, 'a hashtag without #'))
    .max(10)
    .default([]),
})

const poll = z
  .strictObject({
    question: text(200).min(1),
    options: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, _ and -'),
          label: text(100).min(1),
        }),
      )
      .min(2)
      .max(10),
    allowMultiple: z.boolean().default(false),
    showResults: z.enum(['after_vote', 'always', 'never']).default('after_vote'),
    closesAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((p) => new Set(p.options.map((o) => o.id)).size === p.options.length, {
    message: 'option ids must be unique',
    path: ['options'],
  })

const comments = z.strictObject({
  maxLength: z.number().int().min(1).max(limits.text).default(500),
  /** How many recent comments the widget lists. */
  showRecent: z.number().int().min(0).max(50).default(5),
  /** `post`: visible at once; `pre`: held until approved. */
  moderation: z.enum(['post', 'pre']).default('post'),
})

export const engagementConfig = z
  .strictObject({
    engagementTypes: z
      .array(z.enum(engagementTypes))
      .min(1)
      .max(engagementTypes.length)
      .default(['like', 'share']),
    /** What is engaged with; likes, shares and votes are counted per content id. */
    contentId: text(limits.id).optional(),
    contentType: z.enum(['article', 'video', 'product', 'event', 'feature', 'page']).default('page'),
    contentUrl: httpUrl.optional(),
    reactions: z
      .array(z.enum(reactions))
      .min(1)
      .max(reactions.length)
      .default(['like', 'love', 'haha', 'wow']),
    share: share.prefault({}),
    poll: poll.optional(),
    comments: comments.prefault({}),
    showCounts: z.boolean().default(true),
  })
  .refine((config) => !config.engagementTypes.includes('vote') || config.poll, {
    message: 'a vote needs a poll',
    path: ['poll'],
  })
export type EngagementConfig = z.infer<typeof engagementConfig>
