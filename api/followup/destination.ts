import ipaddr from 'ipaddr.js'

/**
 * Whether a webhook URL names this machine or a network that is not the public internet, literally: an IP
 * address outside public unicast (loopback, private, link-local and cloud metadata, unique-local, carrier-grade
 * NAT, reserved…) or a `localhost` name. A name that merely resolves to such an address is caught when the
 * delivery connects (Node's `publicOnlyFetch`; Workers cannot reach private networks at all).
 */
export function namesPrivateHost(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '').toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true
  if (!ipaddr.isValid(host)) return false
  return ipaddr.process(host).range() !== 'unicast'
}

export const privateHostMessage = 'must be a public address, not this machine or a private network'
