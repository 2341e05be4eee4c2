/** Campaign statuses and their transitions, free of zod so the admin bundle can import them cheaply. */
export const campaignStatuses = ['draft', 'active', 'paused', 'completed', 'archived'] as const
export type CampaignStatus = (typeof campaignStatuses)[number]

/** The status machine of PRODUCT.md: draft → active ⇄ paused → completed, and archived from anywhere but itself. */
export const transitions: Record<string, { to: CampaignStatus; from: readonly CampaignStatus[] }> = {
  activate: { to: 'active', from: ['draft', 'paused'] },
  pause: { to: 'paused', from: ['active'] },
  complete: { to: 'completed', from: ['active', 'paused'] },
  archive: { to: 'archived', from: ['draft', 'active', 'paused', 'completed'] },
}
export type TransitionAction = keyof typeof transitions

/** Formats that fill a marked slot, and those that place themselves on the page. */
export const slotFormats = ['hero', 'inline'] as const
export const pageFormats = ['sticky', 'sticky_top', 'sticky_bottom', 'popup', 'slide_in'] as const
