/** The platforms an app promotion tells apart. */
export type AppPlatform = 'ios' | 'android' | 'desktop'

/**
 * The visitor's platform from what the server parsed of the request's User-Agent (api/core/visitor.ts): iOS
 * (iPhone, iPad that says so), Android, or a desktop computer. Another phone or tablet (no store to send it to)
 * is none. An iPad in desktop mode says it is a Mac and has no way to say it has a touch screen in its
 * User-Agent, so the server counts it as desktop (it gets the QR code); only the page could tell it apart.
 */
export function platformOf(visitor: { device: string; os?: string | undefined }): AppPlatform | undefined {
  if (visitor.os === 'ios') return 'ios'
  if (visitor.os === 'android') return 'android'
  return visitor.device === 'desktop' ? 'desktop' : undefined
}

/** What an app promotion's decision adds to the generic one (promotions/app_promotion/server/serving.ts). */
export interface AppDecisionFields {
  platform: AppPlatform
  /** The signed click link to the store of the visitor's platform (with the click id in its campaign parameters). */
  storeUrl?: string
  /** Desktop: the QR code of the campaign's tracked link, one string of `0`/`1` per module row. */
  qr?: { url: string; rows: string[] }
}
