import { useState } from 'preact/hooks'
import { PromoCode } from '../../../sdk/formats/promo-code'
import { CloseButton } from '../../../sdk/kit/close-button'
import { creativeColors } from '../../../sdk/kit/colors'
import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { Popup, titleId } from '../../../sdk/kit/popup'
import type { RemarketingDecision, RemarketingIncentive, RemarketingProduct } from '../decision'

interface ReminderProps {
  decision: RemarketingDecision
  ctx: FormatContext
}

const barEdges: Record<string, string> = { sticky: 'bottom', sticky_bottom: 'bottom', sticky_top: 'top' }

/** An amount in its currency as the visitor's browser writes it; the bare number for a code it does not know. */
function money(amount: number, currency?: string) {
  try {
    if (currency) return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(amount)
  } catch {}
  return String(amount)
}

/** "10% off", "€5 off", "Free shipping". */
function offer(incentive: RemarketingIncentive, currency?: string) {
  if (incentive.type === 'free_shipping') return 'Free shipping'
  if (incentive.type === 'percentage') return `${incentive.value}% off`
  return `${money(incentive.value, currency)} off`
}

/**
 * A reminder for a visitor who left: the sequence's message (the variant's creative, or message 2 once due), the
 * visitor's own products as cards leading through their signed click URLs, and the incentive with its code to
 * reveal and copy; as a popup, a bar or in a slot, closable unless an inline unit's config says otherwise. Every
 * text is a text node.
 */
export function Reminder({ decision, ctx }: ReminderProps) {
  const [open, setOpen] = useState(true)
  if (!open) return null
  const fill = decision.remarketing ?? { step: 1 }
  const { creative, format } = decision
  const message = fill.message
  const headline = message?.headline ?? creative.headline
  const body = message ? message.body : creative.body
  const ctaText = message?.ctaText ?? creative.ctaText
  const products = (fill.products ?? []).filter(
    (product) => httpUrl(product.clickUrl) ?? httpUrl(product.url),
  )
  if (fill.products && products.length === 0) return null
  const follow = (url?: string) => (event: MouseEvent) => {
    if (ctx.preview) event.preventDefault()
    ctx.onClick(url)
  }
  const close = () => {
    setOpen(false)
    ctx.onClose()
  }
  const cta = httpUrl(decision.clickUrl) ?? httpUrl(creative.ctaUrl)
  const currency = products.find((product) => product.currency)?.currency

  const card = (product: RemarketingProduct) => {
    const image = httpUrl(product.imageUrl)
    return (
      <li class="card" key={product.id}>
        <a
          class="item"
          href={httpUrl(product.clickUrl) ?? httpUrl(product.url)}
          onClick={follow(product.url)}
        >
          {image && (
            <img class="image" src={image} alt="" width={120} height={120} loading="lazy" decoding="async" />
          )}
          <span class="name" dir="auto">
            {product.title}
          </span>
          {product.price !== undefined && <span class="price">{money(product.price, product.currency)}</span>}
        </a>
      </li>
    )
  }

  const text = (
    <div class="text">
      {headline && (
        <strong class="headline" id={titleId} dir="auto">
          {headline}
        </strong>
      )}
      {body && (
        <p class="body" dir="auto">
          {body}
        </p>
      )}
      {products.length > 0 && <ul class="cards">{products.map(card)}</ul>}
      {fill.incentive && (
        <div class="offer">
          <strong class="deal">{offer(fill.incentive, fill.incentive.currency ?? currency)}</strong>
          {(fill.incentive.code || fill.incentive.unique) && (
            <PromoCode decision={decision} ctx={ctx} code={fill.incentive.code} />
          )}
        </div>
      )}
      {cta && (
        <a class="cta" href={cta} onClick={follow()} dir="auto">
          {ctaText || 'Take me back'}
        </a>
      )}
    </div>
  )
  const style = creativeColors(creative)
  const themed = Object.keys(style).length ? ' themed' : ''
  const closeButton = <CloseButton onClose={close} />
  if (format === 'popup')
    return (
      <Popup
        class={`unit popup${themed}`}
        style={style}
        preview={ctx.preview}
        onClose={close}
        dismissible={() => decision.config.dismissible !== false}
      >
        {text}
        {closeButton}
      </Popup>
    )
  const edge = barEdges[format]
  const closable = edge || decision.config.dismissible !== false
  return (
    <aside
      class={`unit ${edge ? `bar ${edge}` : 'inline'}${themed}`}
      style={style}
      aria-labelledby={headline ? titleId : undefined}
      aria-label={headline ? undefined : 'Reminder'}
    >
      {text}
      {closable && closeButton}
    </aside>
  )
}
