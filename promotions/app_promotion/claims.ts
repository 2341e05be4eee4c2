import { z } from 'zod'
import { isStorableText, limits } from '../../schema/limits'

/** The app events a claim records for its click: the install (first launch after it) and the first open. */
export const appEvents = ['install', 'first_open'] as const
export type AppEvent = (typeof appEvents)[number]
/** The event names a claim stores, counted by the campaign's KPIs. */
export const appEventName: Record<AppEvent, string> = { install: 'app_install', first_open: 'app_first_open' }

/**
 * `POST /api/v1/app/claims`: the app, on first launch, names the click that led to its install (the id it read
 * from Google Play's install referrer or the App Store campaign link) or the user signed in to it; the answer is
 * the deep link to open. Never matched by address or device traits.
 */
export const claimRequest = z
  .strictObject({
    site: z.string().min(1).max(limits.id),
    clickId: z.uuid('must be the click id from the install referrer').optional(),
    userId: z
      .string()
      .trim()
      .min(1)
      .max(limits.id)
      .refine((id) => isStorableText(id) && !/[<>]/.test(id), 'must be plain text')
      .optional(),
    platform: z.enum(['ios', 'android']),
    event: z.enum(appEvents).default('install'),
  })
  .refine((claim) => claim.clickId !== undefined || claim.userId !== undefined, {
    path: ['clickId'],
    message: 'give clickId, or userId for an app that knows its signed-in user',
  })
export type ClaimRequest = z.infer<typeof claimRequest>

export const claimAnswer = z.strictObject({
  clickId: z.uuid(),
  campaignId: z.uuid(),
  variantId: z.uuid().nullable(),
  event: z.enum(appEvents),
  /** The campaign's deep link, and its path (what follows the host of a universal link, or the scheme). */
  deepLink: z.string().nullable(),
  path: z.string().nullable(),
  /** False for a replayed claim: it answers the same and records nothing. */
  recorded: z.boolean(),
})
export type ClaimAnswer = z.infer<typeof claimAnswer>

/** The deep link's path to open in the app: `shop://product/42?x=1` → `/product/42?x=1`; a universal link's path. */
export function deepLinkPath(link: string | undefined): string | null {
  if (!link) return null
  if (/^https?:/i.test(link)) {
    const url = new URL(link)
    return `${url.pathname}${url.search}${url.hash}`
  }
  const rest = link.slice(link.indexOf('://') + 3)
  return `/${rest}`
}
