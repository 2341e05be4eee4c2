import ipaddr from 'ipaddr.js'

/**
 * Whether a webhook URL names this machine or a network that is not the public internet, literally: an IP
 * address outside public unicast (loopback, private, link-local and cloud metadata, unique-local, carrier-grade
 * NAT, reserved…) or a `localhost` name. A name that merely resolves to such an address is caught when the
 * delivery connects (Node's `publicOnlyFetch`; on Workers, Cloudflare's own fetch).
 */
export function namesPrivateHost(url: string): boolean {
  // `localhost.` is the same name as `localhost` to a resolver.
  const host = new URL(url).hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.+$/, '')
    .toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (!ipaddr.isValid(host)) return false
  return ipaddr.process(host).range() !== 'unicast'
}

export const privateHostMessage = 'must be a public address, not this machine or a private network'

/**
 * How every webhook delivery, first try and retry, reaches its receiver: a POST that refuses this machine and
 * private networks unless `allowsPrivate`. Only `guardWebhooks` makes one, so the global `fetch` (which has no
 * `allowsPrivate`) cannot be handed to the delivery path by mistake.
 */
export interface WebhookFetch {
  (url: string, init: RequestInit): Promise<Response>
  /** Whether deliveries may reach this machine and private networks (PROMO_WEBHOOKS_ALLOW_PRIVATE). */
  readonly allowsPrivate: boolean
}

/** Thrown for a receiver the guard refuses; reported to admins like any other failure to connect. */
export class WebhookRefused extends Error {
  override name = 'WebhookRefused'
}

/**
 * A runtime's way of sending (on Node one that also checks the address a name resolves to), behind the check
 * every runtime shares: a URL that literally names a private host is refused before anything is sent, whenever
 * the delivery is tried (a webhook saved while private networks were allowed is refused once they are not).
 */
export function guardWebhooks(
  send: (url: string, init: RequestInit) => Promise<Response>,
  allowsPrivate: boolean,
): WebhookFetch {
  const guarded = (url: string, init: RequestInit) =>
    !allowsPrivate && namesPrivateHost(url)
      ? Promise.reject(new WebhookRefused(privateHostMessage))
      : send(url, init)
  return Object.assign(guarded, { allowsPrivate })
}

/** For an app built without a way to send webhooks: deliveries are queued and each try fails, never unguarded. */
export const noWebhookFetch: WebhookFetch = guardWebhooks(
  () => Promise.reject(new WebhookRefused('this runtime sends no webhooks')),
  false,
)
