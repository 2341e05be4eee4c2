import { useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import { CloseButton } from '../../../sdk/kit/close-button'
import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { Popup, titleId } from '../../../sdk/kit/popup'
import type { AppPromotionConfig } from '../config'
import type { AppDecisionFields } from '../platform'
import { openApp } from './deep-link'
import { QrCode } from './qr'

interface Props {
  decision: Decision
  ctx: FormatContext
}

/** Closes are remembered on this device only where the visitor let the SDK keep ids (consent to store). */
const closedKey = (decision: Decision) => `promo-app-closed:${decision.campaignId}`
function remembered(decision: Decision, ctx: FormatContext): boolean {
  try {
    return !!ctx.sender?.().anonymousId && localStorage.getItem(closedKey(decision)) === '1'
  } catch {
    return false
  }
}

/** The rating as text: five stars, the filled ones rounded to the nearest whole one, then the number. */
export function stars(rating: number): string {
  const full = Math.round(rating)
  return `${'★'.repeat(full)}${'☆'.repeat(5 - full)} ${rating.toFixed(1)}`
}

/**
 * The app unit: icon, name, rating and price, and on a phone an Open (deep link, then the store) or Get (the
 * store) button; on a desktop, the QR code of the campaign's tracked link. A smart banner is a bar at the top or
 * bottom of the page (`sticky_top`, `sticky_bottom`), or inline in a slot, or a popup.
 */
export function AppUnit({ decision, ctx }: Props) {
  // Judged before the first paint, so a closed banner never flashes.
  const [open, setOpen] = useState(() => !!ctx.preview || !remembered(decision, ctx))
  if (!open) return null
  const config = decision.config as Partial<AppPromotionConfig>
  const fields = decision as Decision & Partial<AppDecisionFields>
  const close = () => {
    setOpen(false)
    try {
      if (!ctx.preview && ctx.sender?.().anonymousId) localStorage.setItem(closedKey(decision), '1')
    } catch {}
    ctx.onClose()
  }
  const store = httpUrl(fields.storeUrl) ?? httpUrl(config.fallbackUrl)
  const deepLink = config.deepLink
  const onGet = (event: MouseEvent) => {
    if (ctx.preview) return event.preventDefault()
    ctx.onClick()
    if (!deepLink) return
    event.preventDefault()
    openApp(deepLink, store, config.deepLinkTimeoutMs ?? 1500, () =>
      ctx.track?.('app_deep_link_open', { platform: fields.platform ?? 'ios' }),
    )
  }
  const qr = fields.platform === 'desktop' ? fields.qr : undefined
  const body = [
    config.iconUrl && <img class="icon" src={httpUrl(config.iconUrl)} alt="" width={56} height={56} />,
    <div class="about">
      <strong class="headline" id={titleId} dir="auto">
        {config.appName}
      </strong>
      {decision.creative.headline !== config.appName && (
        <p class="meta" dir="auto">
          {decision.creative.headline}
        </p>
      )}
      {(config.rating !== undefined || config.price) && (
        <p class="meta" dir="auto">
          {config.rating !== undefined && (
            <span role="img" aria-label={`Rated ${config.rating} of 5`}>
              {stars(config.rating)}
            </span>
          )}
          {config.rating !== undefined && config.price ? ' · ' : ''}
          {config.price}
        </p>
      )}
      {qr && <p class="meta">Scan with your phone to get the app</p>}
    </div>,
    qr ? (
      <QrCode rows={qr.rows} size={config.qr?.sizePx ?? 160} />
    ) : (
      store && (
        <a class="cta" href={store} onClick={onGet}>
          {deepLink ? 'Open' : 'Get'}
        </a>
      )
    ),
    config.dismissible !== false && <CloseButton onClose={close} />,
  ]
  if (decision.format === 'popup') {
    return (
      <Popup class="unit app popup" style={{}} preview={ctx.preview} onClose={close}>
        {body}
      </Popup>
    )
  }
  const bar = decision.format.startsWith('sticky')
    ? ` bar ${decision.format === 'sticky_bottom' ? 'bottom' : 'top'}`
    : ' inline'
  return (
    <aside class={`unit app${bar}`} aria-labelledby={titleId}>
      {body}
    </aside>
  )
}
