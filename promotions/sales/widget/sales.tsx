import { useLayoutEffect, useState } from 'preact/hooks'
import { PromoCode } from '../../../sdk/formats/promo-code'
import { CloseButton } from '../../../sdk/kit/close-button'
import { creativeColors } from '../../../sdk/kit/colors'
import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { Popup, titleId } from '../../../sdk/kit/popup'
import type { SalesConfig } from '../config'
import type { CartLine, ProductCard, SalesDecision } from '../decision'
import { money, nextValue } from './cart'

interface SalesProps {
  decision: SalesDecision
  ctx: FormatContext
}

/** The headline a product nudge shows when its creative has none. */
const headings: Record<string, string> = {
  checkout: 'Before you check out',
  upsell: 'You may prefer',
  cross_sell: 'Goes well with your cart',
}

const barEdges: Record<string, string> = { sticky: 'bottom', sticky_bottom: 'bottom', sticky_top: 'top' }

const plural = (count: number, one: string) => `${count} ${one}${count === 1 ? '' : 's'}`

/**
 * One sales nudge, by the config's `nudge`: product cards (a promo, a checkout, upsell or cross-sell pick), the
 * free-shipping bar (moving with the page's AddToCart / RemoveFromCart / Purchase), or the cart a returning visitor
 * left; with a promo code to reveal when the campaign has codes. Every text is a text node; prices are written in
 * the config's currency by the visitor's browser.
 */
export function Sales({ decision, ctx }: SalesProps) {
  const config = decision.config as Partial<SalesConfig>
  const sales = decision.sales ?? { products: [] }
  const currency = config.currency ?? sales.cart?.currency
  const [open, setOpen] = useState(true)
  const [value, setValue] = useState(sales.cart?.value ?? 0)
  useLayoutEffect(() => {
    ctx.onTrack?.((name, props) => setValue((now) => nextValue(now, name, props, currency)))
  }, [])
  if (!open) return null

  const { creative, format } = decision
  const nudge = config.nudge ?? 'product_promo'
  const price = (amount: number) => money(amount, currency)
  const follow = (url?: string) => (event: MouseEvent) => {
    if (ctx.preview) event.preventDefault()
    ctx.onClick(url)
  }
  const close = () => {
    setOpen(false)
    ctx.onClose()
  }
  const cta = httpUrl(decision.clickUrl) ?? httpUrl(creative.ctaUrl)
  const lines = sales.cart?.items ?? []
  let body: preact.JSX.Element | undefined
  let headline = creative.headline

  if (nudge === 'free_shipping') {
    const threshold = config.freeShippingThreshold ?? 0
    const left = Math.max(0, threshold - value)
    const status = left ? `${price(left)} away from free shipping` : "You've got free shipping"
    body = (
      <>
        <p class="ship" aria-live="polite">
          {status}
        </p>
        <div
          class="track"
          role="progressbar"
          aria-label="Free shipping"
          aria-valuemin={0}
          aria-valuemax={threshold}
          aria-valuenow={Math.min(value, threshold)}
          aria-valuetext={status}
        >
          <div
            class="fill"
            style={{ width: `${threshold ? Math.min(100, (value / threshold) * 100) : 100}%` }}
          />
        </div>
      </>
    )
  } else if (nudge === 'cart_reminder') {
    if (!lines.length) return null
    const count = lines.reduce((sum, line) => sum + line.quantity, 0)
    body = (
      <>
        <p class="left">You left {plural(count, 'item')} in your cart</p>
        <ul class="cards lines">{lines.map((line) => item(line, line.title ?? line.id, line.url))}</ul>
      </>
    )
  } else {
    const cards = sales.products.filter((card) => httpUrl(card.clickUrl) ?? httpUrl(card.url))
    if (!cards.length) return null
    headline ||= headings[nudge] ?? ''
    body = <ul class="cards">{cards.map((card) => item(card, card.title, card.url, card))}</ul>
  }

  /** A product (a card, or a line of the cart) as a link, with its picture, price and real purchase count. */
  function item(thing: CartLine | ProductCard, title: string, url?: string, card?: ProductCard) {
    const href = httpUrl(card?.clickUrl) ?? httpUrl(url)
    const was = card?.compareAtPrice
    const hours = config.socialProof?.windowHours ?? 24
    const image = httpUrl(thing.imageUrl)
    const inner = (
      <>
        {image && (
          <img class="image" src={image} alt="" width={160} height={160} loading="lazy" decoding="async" />
        )}
        <span class="name" dir="auto">
          {title}
        </span>
        {thing.price !== undefined && (
          <span class="price">
            {'quantity' in thing && thing.quantity > 1 && `${thing.quantity} × `}
            {price(thing.price)}
            {was !== undefined && was > (thing.price ?? 0) && <s class="was">{price(was)}</s>}
          </span>
        )}
        {card?.bought !== undefined && (
          <span class="proof">
            {card.bought} bought {hours === 24 ? 'today' : `in the last ${plural(hours, 'hour')}`}
          </span>
        )}
      </>
    )
    return (
      <li class="card" key={thing.id}>
        {href ? (
          <a class="item" href={href} onClick={follow(url)}>
            {inner}
          </a>
        ) : (
          <span class="item">{inner}</span>
        )}
      </li>
    )
  }

  const codes = sales.codes ?? !!config.discount
  const text = (
    <div class="text">
      {headline && (
        <strong class="headline" id={titleId} dir="auto">
          {headline}
        </strong>
      )}
      {creative.body && (
        <p class="body" dir="auto">
          {creative.body}
        </p>
      )}
      {body}
      {codes && <PromoCode decision={decision} ctx={ctx} />}
      {cta && (
        <a class="cta" href={cta} onClick={follow()} dir="auto">
          {creative.ctaText || (nudge === 'cart_reminder' ? 'Back to your cart' : 'Shop now')}
        </a>
      )}
    </div>
  )
  const style = creativeColors(creative)
  const themed = Object.keys(style).length ? ' themed' : ''
  const closeButton = <CloseButton onClose={close} />
  if (format === 'popup')
    return (
      <Popup class={`unit popup ${nudge}${themed}`} style={style} preview={ctx.preview} onClose={close}>
        {text}
        {closeButton}
      </Popup>
    )
  const edge = barEdges[format]
  return (
    <aside
      class={`unit ${edge ? `bar ${edge}` : 'inline'} ${nudge}${themed}`}
      style={style}
      aria-labelledby={headline ? titleId : undefined}
      aria-label={headline ? undefined : 'Offer'}
    >
      {text}
      {edge && closeButton}
    </aside>
  )
}
