// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { learn, productMeta } from './product'

const tag = (property: string, content: string) => {
  const meta = document.createElement('meta')
  meta.setAttribute('property', property)
  meta.setAttribute('content', content)
  document.head.appendChild(meta)
}
const jsonLd = (value: unknown) => {
  const script = document.createElement('script')
  script.type = 'application/ld+json'
  script.textContent = typeof value === 'string' ? value : JSON.stringify(value)
  document.head.appendChild(script)
}
afterEach(() => {
  document.head.innerHTML = ''
})

describe('a product page’s product', () => {
  it('reads Open Graph product tags', () => {
    tag('og:title', 'Desk lamp')
    tag('og:url', 'https://shop.example/p/lamp')
    tag('og:image', 'https://shop.example/lamp.jpg')
    tag('product:retailer_item_id', 'LAMP-1')
    tag('product:price:amount', '39.90')
    tag('product:price:currency', 'EUR')
    tag('product:availability', 'in stock')
    expect(productMeta()).toEqual({
      product_id: 'LAMP-1',
      product_title: 'Desk lamp',
      product_url: 'https://shop.example/p/lamp',
      product_image: 'https://shop.example/lamp.jpg',
      product_price: '39.90',
      product_currency: 'EUR',
      product_availability: 'in stock',
    })
  })

  it('reads schema.org Product JSON-LD with its offers, in a @graph, before the tags', () => {
    jsonLd('{ not json')
    jsonLd({ '@context': 'https://schema.org', '@type': 'WebSite', name: 'Shop' })
    jsonLd({
      '@context': 'https://schema.org',
      '@graph': [
        { '@type': 'BreadcrumbList' },
        {
          '@type': ['Product'],
          sku: 'MUG-7',
          name: 'Mug 😀',
          image: [{ '@type': 'ImageObject', url: 'https://shop.example/mug.jpg' }],
          category: 'Kitchen',
          offers: [
            { '@type': 'Offer', price: 8, priceCurrency: 'USD', availability: 'https://schema.org/InStock' },
          ],
        },
      ],
    })
    tag('product:retailer_item_id', 'OTHER')
    expect(productMeta()).toEqual({
      product_id: 'MUG-7',
      product_title: 'Mug 😀',
      product_image: 'https://shop.example/mug.jpg',
      product_price: '8',
      product_currency: 'USD',
      product_availability: 'https://schema.org/InStock',
      product_category: 'Kitchen',
    })
  })

  it('names no product without an id, cuts long text whole characters, and sends one event when there is one', () => {
    tag('og:title', 'An article')
    expect(productMeta()).toBeUndefined()
    const sent: unknown[] = []
    learn({ send: (...args) => sent.push(args) })
    expect(sent).toEqual([])
    jsonLd({ '@type': 'Product', productID: 'P-1', name: `${'x'.repeat(999)}😀` })
    const product = productMeta()!
    expect(product.product_title).toBe('x'.repeat(999))
    learn({ send: (...args) => sent.push(args) })
    expect(sent).toEqual([['product', {}, product]])
  })
})
