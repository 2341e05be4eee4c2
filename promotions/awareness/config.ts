import { z } from 'zod'
import type { Frequency } from '../../schema/campaign'
import { limits } from '../../schema/limits'
import { bannerFormats } from '../../schema/serve'
import { triggerSchema } from '../../schema/trigger'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

export const awarenessConfig = z.strictObject({
  format: z.enum(bannerFormats).default('hero'),
  dismissible: z.boolean().default(true),
  mediaType: z.enum(['image', 'video']).default('image'),
  /** Video only. An autoplaying video starts muted, as browsers require; the visitor can unmute it. */
  autoplay: z.boolean().default(false),
  loop: z.boolean().default(false),
  /** Seconds after render before the close button appears (popups and sticky bars). */
  closeDelaySeconds: z.number().int().min(0).max(30).default(0),
  /** Seconds after page load before a page-level unit appears. */
  showDelaySeconds: z.number().int().min(0).max(600).default(0),
  /** What a page-level unit waits for before it appears; slot formats appear with the page. */
  trigger: triggerSchema.default({ on: 'load' }),
  /** The trust line under the hero ("Trusted by 10,000 teams"). */
  socialProof: text(limits.shortText).optional(),
})
export type AwarenessConfig = z.infer<typeof awarenessConfig>

/** The blueprint's cap for banners: three viewable impressions a day per visitor. */
export const awarenessFrequency: Frequency = { perDay: 3, countOn: 'viewable' }
