import { z } from 'zod'
import { httpUrl } from '../../schema/campaign'
import { limits } from '../../schema/limits'

/** Text is plain: it is rendered as text, so markup is refused rather than shown as tags. */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)
const text = (max: number) => z.string().trim().max(max).refine(isPlain, 'must be plain text, not HTML')

/** Schemes that run code or read local data in a browser; an app's own scheme is none of these. */
const unsafeSchemes = new Set(['javascript', 'data', 'vbscript', 'file', 'blob', 'about', 'filesystem'])

/** An app's custom-scheme link (`shop://product/42`); universal and app links are plain https. */
const appSchemeUrl = z
  .string()
  .max(limits.url)
  .regex(/^[a-z][a-z0-9+.-]*:\/\/\S+$/i, 'must be an https URL or an app link like app://path')
  .refine((url) => !unsafeSchemes.has(url.slice(0, url.indexOf(':')).toLowerCase()), 'scheme not allowed')

export const appPromotionConfig = z
  .strictObject({
    appName: text(limits.shortText).min(1),
    iconUrl: httpUrl.optional(),
    appStoreUrl: httpUrl.optional(),
    playStoreUrl: httpUrl.optional(),
    /** The App Store's provider token (`pt`), added to App Store links beside the campaign token. */
    appStoreProviderToken: z
      .string()
      .regex(/^[A-Za-z0-9]{1,20}$/, 'must be letters and digits')
      .optional(),
    /** Opens the app where it is installed; after deepLinkTimeoutMs without the app, the visitor goes on to fallbackUrl. */
    deepLink: httpUrl.or(appSchemeUrl).optional(),
    /** Without it, the store of the visitor's platform. */
    fallbackUrl: httpUrl.optional(),
    deepLinkTimeoutMs: z.number().int().min(250).max(5_000).default(1_500),
    /** `smart_banner` is the thin bar atop mobile pages; desktop visitors get a QR code instead. */
    format: z.enum(['smart_banner', 'inline', 'popup']).default('smart_banner'),
    position: z.enum(['top', 'bottom']).default('top'),
    platforms: z
      .array(z.enum(['ios', 'android', 'desktop']))
      .min(1)
      .max(3)
      .default(['ios', 'android', 'desktop']),
    /** The QR shown to desktop visitors; it encodes qrUrl, or the campaign's tracked click link. */
    qr: z
      .strictObject({
        enabled: z.boolean().default(true),
        url: httpUrl.optional(),
        sizePx: z.number().int().min(96).max(512).default(160),
      })
      .prefault({}),
    rating: z.number().min(0).max(5).optional(),
    ratingCount: z.number().int().min(0).max(1_000_000_000).optional(),
    price: text(24).default('Free'),
    dismissible: z.boolean().default(true),
  })
  .refine((config) => config.appStoreUrl || config.playStoreUrl, {
    message: 'give appStoreUrl, playStoreUrl or both',
    path: ['appStoreUrl'],
  })
export type AppPromotionConfig = z.infer<typeof appPromotionConfig>
