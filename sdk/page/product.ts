/**
 * A product page's product, for the sales catalog: read from the page's schema.org `Product` JSON-LD (with its
 * `offers`) or else its Open Graph `product:` tags, as the props of a `product` event. Its own chunk: the page
 * runtime loads it only on a page that has such metadata.
 */
import type { LandingPorts } from './landing'

type Node = Record<string, unknown>

/** The first `Product` in a JSON-LD value: a node, a list of them, or a `@graph`. */
function productIn(value: unknown): Node | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = productIn(item)
      if (found) return found
    }
  } else if (value && typeof value === 'object') {
    const node = value as Node
    return [node['@type']].flat().includes('Product') ? node : productIn(node['@graph'])
  }
}

/** The first value of a field that may be a list. */
const first = (value: unknown): unknown => [value].flat()[0]
/** An image: a URL, or an `ImageObject` with one. */
const imageOf = (value: unknown): unknown => {
  const image = first(value)
  return image && typeof image === 'object' ? (image as Node).url : image
}

/**
 * `product_id` (sku, productID or `product:retailer_item_id`), `product_title` (or `og:title`), `product_url`
 * (or `og:url`), `product_image` (or `og:image`), `product_price` (or `lowPrice`, or `product:price:amount`), `product_currency`,
 * `product_availability` and `product_category`, each as text cut to what a prop keeps; the server checks them.
 */
export function productMeta(doc: Document = document): Record<string, string> | undefined {
  let product: Node | undefined
  for (const script of doc.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      product ??= productIn(JSON.parse(script.textContent ?? ''))
    } catch {
      // A page's broken JSON-LD is no product.
    }
  }
  const offer = (first(product?.offers) ?? {}) as Node
  const tag = (name: string) =>
    doc.querySelector<HTMLMetaElement>(`meta[property="${name}"],meta[name="${name}"]`)?.content
  const props: Record<string, string> = {}
  const fields: [string, unknown][] = [
    ['id', product?.sku ?? product?.productID ?? tag('product:retailer_item_id')],
    ['title', product?.name ?? tag('og:title')],
    ['url', product?.url ?? tag('og:url')],
    ['image', imageOf(product?.image) ?? tag('og:image')],
    ['price', offer.price ?? offer.lowPrice ?? tag('product:price:amount')],
    ['currency', offer.priceCurrency ?? tag('product:price:currency')],
    ['availability', offer.availability ?? tag('product:availability')],
    ['category', product?.category ?? tag('product:category')],
  ]
  for (const [name, value] of fields) {
    const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : ''
    // Never cut an emoji in half: the API refuses half a surrogate pair.
    if (text) props[`product_${name}`] = text.slice(0, 1000).replace(/[\uD800-\uDBFF]$/, '')
  }
  return props.product_id ? props : undefined
}

/** Sends the page's product as a `product` event, when it names one; never throws into the page. */
export function learn(context: Pick<LandingPorts, 'send'>) {
  try {
    const product = productMeta()
    if (product) context.send('product', {}, product)
  } catch {
    // Nothing the page should see.
  }
}
