import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'

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

/** What a visitor can do to an engagement campaign through `POST /api/v1/engagements`. */
export const engagementActions = ['like', 'unlike', 'react', 'unreact', 'share', 'vote', 'comment'] as const
export type EngagementAction = (typeof engagementActions)[number]

/** Which of the config's `engagementTypes` an action needs. */
export const actionType: Record<EngagementAction, (typeof engagementTypes)[number]> = {
  like: 'like',
  unlike: 'like',
  react: 'react',
  unreact: 'react',
  share: 'share',
  vote: 'vote',
  comment: 'comment',
}

/** A commenter's display name, at most this long. */
export const commentNameMax = 80

/**
 * One visitor action, as the widget (or any page) sends it. Every string is bounded; what an action needs is
 * required at its own field (`reaction` for react, `network` for share, `options` for vote, `text` for comment).
 * What the campaign allows (its reactions, networks, poll options, comment length) is checked against its config.
 */
export const engagementRequest = z
  .strictObject({
    site: z.string().min(1).max(limits.id),
    campaignId: z.uuid(),
    variantId: z.uuid().optional(),
    anonymousId: z.string().min(1).max(limits.id),
    /** The serve answer's `visitorToken` for this anonymous id; when sent it must belong to it. */
    visitorToken: z.string().max(64).optional(),
    action: z.enum(engagementActions),
    reaction: z.enum(reactions).optional(),
    network: z.enum(shareNetworks).optional(),
    /** Made by the widget (UUID v4) and carried in the shared link as `promo_share`. */
    shareId: z.uuid().optional(),
    options: z
      .array(z.string().min(1).max(32))
      .min(1)
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, 'each option once')
      .optional(),
    /** Plain text: markup is kept as the literal characters and never rendered. */
    text: z.string().trim().min(1).max(limits.text).optional(),
    name: z.string().trim().max(commentNameMax).optional(),
    /** The page it happened on. */
    url: httpUrl.optional(),
  })
  .superRefine((body, ctx) => {
    const need = (field: keyof typeof body, when: boolean) => {
      if (when && body[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: 'required' })
    }
    need('reaction', body.action === 'react')
    need('network', body.action === 'share')
    need('options', body.action === 'vote')
    need('text', body.action === 'comment')
  })
export type EngagementRequest = z.infer<typeof engagementRequest>

/** `GET /api/v1/engagements`'s query. */
export const engagementQuery = z.strictObject({
  site: z.string().min(1).max(limits.id),
  campaignId: z.uuid(),
  anonymousId: z.string().min(1).max(limits.id).optional(),
})
