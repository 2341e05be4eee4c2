import { useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import { CloseButton } from '../../../sdk/kit/close-button'
import { creativeColors } from '../../../sdk/kit/colors'
import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { Media } from '../../../sdk/kit/media'
import { Popup, titleId } from '../../../sdk/kit/popup'

interface BannerProps {
  decision: Decision
  ctx: FormatContext
}

const barEdges: Record<string, 'top' | 'bottom'> = {
  sticky: 'bottom',
  sticky_bottom: 'bottom',
  sticky_top: 'top',
}

/**
 * Headline, body and call to action, always as text nodes: creative text never becomes markup. Each takes its
 * direction from its own first letters, so an Arabic headline reads right to left on an English page.
 */
function Text({ decision, ctx }: BannerProps) {
  const { creative } = decision
  const href = httpUrl(decision.clickUrl) ?? httpUrl(creative.ctaUrl)
  const onClick = (event: MouseEvent) => {
    if (ctx.preview) event.preventDefault()
    ctx.onClick()
  }
  return (
    <div class="text">
      <strong class="headline" id={titleId} dir="auto">
        {creative.headline}
      </strong>
      {creative.body && (
        <p class="body" dir="auto">
          {creative.body}
        </p>
      )}
      {href && (
        <a class="cta" href={href} onClick={onClick} dir="auto">
          {creative.ctaText || 'Learn more'}
        </a>
      )}
    </div>
  )
}

/**
 * One awareness unit in its placement: hero and inline fill their slot, sticky bars and the popup sit over the
 * page. Closing hides it at once and then tells the context.
 */
export function Banner({ decision, ctx }: BannerProps) {
  const [open, setOpen] = useState(true)
  if (!open) return null
  const close = () => {
    setOpen(false)
    ctx.onClose()
  }
  const { creative, format, config } = decision
  const style = creativeColors(creative)
  const themed = Object.keys(style).length ? ' themed' : ''
  const text = <Text decision={decision} ctx={ctx} />
  const media = (ratio: [number, number]) => (
    <Media
      creative={creative}
      ratio={ratio}
      video={config.mediaType === 'video'}
      autoplay={config.autoplay === true}
      loop={config.loop === true}
      track={ctx.track}
    />
  )
  const closeButton = <CloseButton onClose={close} />

  if (format === 'popup') {
    return (
      <Popup class={`unit popup${themed}`} style={style} preview={ctx.preview} onClose={close}>
        {media([16, 9])}
        {text}
        {closeButton}
      </Popup>
    )
  }
  const edge = barEdges[format]
  const placement = edge ? `bar ${edge}` : format === 'inline' ? 'inline' : 'hero'
  const closable = edge || decision.config.dismissible !== false
  return (
    <aside class={`unit ${placement}${themed}`} style={style} aria-labelledby={titleId}>
      {media(placement === 'hero' ? [16, 9] : [1, 1])}
      {text}
      {closable && closeButton}
    </aside>
  )
}
