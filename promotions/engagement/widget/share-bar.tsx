import { useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import type { EngagementConfig } from '../config'
import type { Send } from './api'
import { type Network, networkUrl, shareId, shareLink } from './share'

const names: Record<Network, string> = {
  facebook: 'Facebook',
  x: 'X',
  linkedin: 'LinkedIn',
  email: 'Email',
  copy: 'Copy link',
  webshare: 'Share…',
}

interface ShareProps {
  config: EngagementConfig
  decision: Decision
  preview: boolean
  send: Send
  say(words: string): void
  count: number | false
}

/**
 * The configured share buttons. Facebook, X, LinkedIn and email are plain links to the network's share page
 * (a new window) or a mailto:, so no popup blocker stands in the way; `copy` writes the link to the clipboard,
 * and `webshare` opens the device's own share sheet where the browser has one (hidden elsewhere). Each share has
 * its own id, in the link and in the share sent to the API; the next share gets a new one.
 */
export function Share({ config, decision, preview, send, say, count }: ShareProps) {
  const [id, setId] = useState(shareId)
  const base = config.share.url ?? config.contentUrl ?? location.href
  const text = config.share.text ?? decision.creative.headline
  const link = (network: Network) => shareLink(base, network, decision.campaignId, id)
  const shared = (network: Network) => {
    send({ action: 'share', network, shareId: id })
    setId(shareId())
  }
  const networks = config.share.networks.filter(
    (network) => network !== 'webshare' || typeof navigator.share === 'function',
  )

  return (
    <div class="row">
      {networks.map((network) => {
        if (network === 'copy' || network === 'webshare') {
          const press = () => {
            const url = link(network)
            // Started within the press, which both need; a missing clipboard becomes a refusal, not a throw.
            new Promise((resolve) =>
              resolve(
                network === 'copy'
                  ? navigator.clipboard.writeText(url).then(() => say('Link copied'))
                  : navigator.share({ url, title: decision.creative.headline, text }),
              ),
            ).then(
              () => shared(network),
              // A share sheet closed without sharing, or a clipboard refused: nothing was shared.
              () => network === 'copy' && say(`Copy this link: ${url}`),
            )
          }
          return (
            <button type="button" class="b" key={network} onClick={preview ? undefined : press}>
              {names[network]}
            </button>
          )
        }
        const mail = network === 'email'
        return (
          <a
            class="b"
            key={network}
            href={networkUrl(network, link(network), text, config.share.hashtags)}
            target={mail ? undefined : '_blank'}
            rel="noopener noreferrer"
            onClick={(event) => (preview ? event.preventDefault() : shared(network))}
          >
            {names[network]}
          </a>
        )
      })}
      {count !== false && <span class="n">{count} shares</span>}
    </div>
  )
}
