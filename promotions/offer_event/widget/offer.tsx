import { useState } from 'preact/hooks'
import { CloseButton } from '../../../sdk/kit/close-button'
import { creativeColors } from '../../../sdk/kit/colors'
import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { Popup, titleId } from '../../../sdk/kit/popup'
import type { OfferEventConfig } from '../config'
import type { OfferEventDecision } from '../decision'
import { Countdown } from './countdown'
import type { EventCard } from './event-card'
import { formatTime } from './time'

interface OfferProps {
  decision: OfferEventDecision
  ctx: FormatContext
  /** The event card, from its own chunk, loaded before the unit is drawn when the config has an event. */
  Card?: typeof EventCard | undefined
}

const edges: Record<string, string> = { sticky: 'bottom', sticky_bottom: 'bottom', sticky_top: 'top' }

/**
 * When the clock ends: the config's fixed `endsAt`, or the visitor's evergreen `deadline` from the server. An
 * evergreen clock is shown only when the SDK keeps the visitor's id (consent to store): without it every page
 * is a first view, and a deadline that restarts on each page would be a false one. The preview counts down
 * from now.
 */
function deadlineOf(decision: OfferEventDecision, ctx: FormatContext): number | undefined {
  const countdown = (decision.config as OfferEventConfig).countdown
  if (countdown?.endsAt) return Date.parse(countdown.endsAt)
  if (!countdown?.evergreenHours) return undefined
  if (ctx.preview) return Date.now() + countdown.evergreenHours * 3_600_000
  return decision.deadline && ctx.sender?.().anonymousId ? Date.parse(decision.deadline) : undefined
}

/**
 * One offer or event in its placement (a bar at the top or bottom, a hero or inline slot, a popup): headline,
 * countdown, the offer (discount, code, units left), the event card, the call to action. At zero the clock gives
 * way to `endedText`, and the offer's code and link go; without `endedText` the unit hides. All text is text.
 */
export function Offer({ decision, ctx, Card }: OfferProps) {
  const [open, setOpen] = useState(true)
  const [deadline] = useState(() => deadlineOf(decision, ctx))
  const [ended, setEnded] = useState(false)
  const config = decision.config as OfferEventConfig
  if (!open || (ended && !config.countdown?.endedText)) return null
  const close = () => {
    setOpen(false)
    ctx.onClose()
  }
  const { creative, format } = decision
  const { offer, event } = config
  const href = httpUrl(decision.clickUrl) ?? httpUrl(creative.ctaUrl)
  const style = creativeColors(creative)
  const copy = () => navigator.clipboard?.writeText(offer!.promoCode!).catch(() => {})
  const body = (
    <div class="text">
      <strong class="headline" id={titleId} dir="auto">
        {creative.headline}
      </strong>
      {creative.body && (
        <p class="body" dir="auto">
          {creative.body}
        </p>
      )}
      {ended ? (
        <p class="ended" role="status" dir="auto">
          {config.countdown!.endedText}
        </p>
      ) : (
        deadline !== undefined && <Countdown deadline={deadline} onEnd={() => setEnded(true)} />
      )}
      {offer && !ended && (
        <p class="offer">
          {offer.discountPercent && <b>{offer.discountPercent}% off</b>}
          {offer.promoCode && (
            <>
              {' '}
              Code <code>{offer.promoCode}</code>{' '}
              <button type="button" class="copy" onClick={copy}>
                Copy
              </button>
            </>
          )}
          {decision.remaining !== undefined && <span class="left"> Only {decision.remaining} left</span>}
          {offer.terms && (
            <small class="terms" dir="auto">
              {offer.terms}
            </small>
          )}
        </p>
      )}
      {event && Card && (
        <Card
          event={event}
          campaignId={decision.campaignId}
          visitorToken={decision.visitorToken}
          seatsLeft={decision.seatsLeft}
          ctx={ctx}
          format={formatTime}
        />
      )}
      {href && !ended && (
        <a
          class="cta"
          href={href}
          dir="auto"
          onClick={(e) => {
            if (ctx.preview) e.preventDefault()
            ctx.onClick()
          }}
        >
          {creative.ctaText || 'Shop now'}
        </a>
      )}
    </div>
  )
  const themed = Object.keys(style).length ? ' themed' : ''
  const closeButton = <CloseButton onClose={close} />
  if (format === 'popup')
    return (
      <Popup class={`unit popup${themed}`} style={style} preview={ctx.preview} onClose={close}>
        {body}
        {closeButton}
      </Popup>
    )
  const edge = edges[format]
  return (
    <aside class={`unit ${edge ? `bar ${edge}` : format}${themed}`} style={style} aria-labelledby={titleId}>
      {body}
      {(edge || config.dismissible !== false) && closeButton}
    </aside>
  )
}
