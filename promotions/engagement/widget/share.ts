/** The share networks the widget knows (the config schema's `shareNetworks`, which brings zod along). */
export type Network = 'facebook' | 'x' | 'linkedin' | 'email' | 'copy' | 'webshare'

/** A random UUID v4: `crypto.randomUUID` exists only in secure contexts, `getRandomValues` everywhere. */
export function shareId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = (bytes[6]! & 15) | 64
  bytes[8] = (bytes[8]! & 63) | 128
  let hex = ''
  for (const byte of bytes) hex += (byte + 256).toString(16).slice(1)
  return hex.replace(/(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-')
}

/**
 * The link a visitor shares: the configured share URL, else the content's URL, else this page, carrying
 * where it was shared (`utm_source`), that it was a share, the campaign, and the share's own id, which the page
 * it leads to sends back as a `share_landing` event.
 */
export function shareLink(base: string, network: Network, campaignId: string, id: string): string {
  const url = new URL(base)
  const query = url.searchParams
  query.set('utm_source', network)
  query.set('utm_medium', 'share')
  query.set('utm_campaign', campaignId)
  // `shareParam` of schema/landing.ts, which the page runtime reads; imported, it would split into a chunk of its own.
  query.set('promo_share', id)
  return url.href
}

/** Where a network's plain share page takes the link; `copy` and `webshare` have none. */
export function networkUrl(network: Network, link: string, text = '', hashtags: string[] = []): string {
  const q = encodeURIComponent
  switch (network) {
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${q(link)}`
    case 'x':
      return `https://x.com/intent/post?url=${q(link)}${text ? `&text=${q(text)}` : ''}${hashtags.length ? `&hashtags=${q(hashtags.join(','))}` : ''}`
    case 'linkedin':
      return `https://www.linkedin.com/sharing/share-offsite/?url=${q(link)}`
    case 'email':
      return `mailto:?subject=${q(text)}&body=${q(text ? `${text}\n${link}` : link)}`
    default:
      return link
  }
}
