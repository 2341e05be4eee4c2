// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { pageContentProps } from '../../schema/content'
import { limits } from '../../schema/limits'
import { pageMeta } from './meta'

const tag = (property: string, content: string) => {
  const meta = document.createElement('meta')
  meta.setAttribute('property', property)
  meta.setAttribute('content', content)
  document.head.appendChild(meta)
}
const canonical = (href: string) => {
  const link = document.createElement('link')
  link.rel = 'canonical'
  link.setAttribute('href', href)
  document.head.appendChild(link)
}

afterEach(() => {
  document.head.innerHTML = ''
})

describe('the page tags a page event carries', () => {
  it('reads every Open Graph and article tag the catalog learns, under the names the API reads', () => {
    tag('og:title', 'How to layer for winter')
    tag('og:description', 'Three layers, no bulk.')
    tag('og:image', 'https://shop.example/img/layers.jpg')
    tag('article:tag', 'Winter')
    tag('article:tag', 'layering')
    tag('article:section', 'Guides')
    tag('article:published_time', '2025-11-02T09:00:00+01:00')
    canonical('https://shop.example/guides/layering')
    const props = pageMeta()
    expect(props).toEqual({
      og_title: 'How to layer for winter',
      og_description: 'Three layers, no bulk.',
      og_image: 'https://shop.example/img/layers.jpg',
      article_tag: 'Winter,layering',
      article_section: 'Guides',
      article_published_time: '2025-11-02T09:00:00+01:00',
      canonical: 'https://shop.example/guides/layering',
    })
    expect(Object.keys(props).every((name) => (pageContentProps as readonly string[]).includes(name))).toBe(
      true,
    )
  })

  it('sends nothing for tags the page does not have, or has empty', () => {
    expect(pageMeta()).toEqual({})
    tag('og:title', '   ')
    tag('og:description', '')
    expect(pageMeta()).toEqual({})
  })

  it('takes the first of repeated single tags, and tags written with name= as many sites do', () => {
    tag('og:title', 'First')
    tag('og:title', 'Second')
    const meta = document.createElement('meta')
    meta.name = 'og:description'
    meta.content = 'Named'
    document.head.appendChild(meta)
    expect(pageMeta()).toEqual({ og_title: 'First', og_description: 'Named' })
  })

  it("cuts text to the API's limits without splitting an emoji, and makes white space single spaces", () => {
    tag('og:title', `${'a'.repeat(limits.name - 1)}😀 and more`)
    tag('og:description', `line one\n\n  line two ${'b'.repeat(600)}`)
    tag('article:section', 's'.repeat(200))
    const props = pageMeta()
    expect(props.og_title).toBe('a'.repeat(limits.name - 1))
    expect(props.og_description!.startsWith('line one line two b')).toBe(true)
    expect(props.og_description).toHaveLength(limits.summary)
    expect(props.article_section).toHaveLength(limits.shortText)
  })

  it('joins at most 20 distinct tags of at most 64 characters, never past the prop limit', () => {
    for (const name of ['Winter', 'winter', 'Coats', 't'.repeat(100)]) tag('article:tag', name)
    expect(pageMeta().article_tag).toBe(`Winter,Coats,${'t'.repeat(limits.tag)}`)
    document.head.innerHTML = ''
    for (let i = 0; i < 30; i++) tag('article:tag', `tag-${i}`)
    expect(pageMeta().article_tag!.split(',')).toHaveLength(limits.tags)
    document.head.innerHTML = ''
    for (let i = 0; i < 20; i++) tag('article:tag', `${i}`.padEnd(60, 'x'))
    const joined = pageMeta().article_tag!
    expect(joined.length).toBeLessThanOrEqual(limits.propValue)
    expect(joined.split(',').every((name) => name.length === 60)).toBe(true)
  })

  it('makes image and canonical URLs absolute, keeps only http(s), and leaves out one too long to send whole', () => {
    tag('og:image', '/img/a.jpg?w=600')
    canonical('/guides/layering?ref=nav')
    expect(pageMeta()).toEqual({
      og_image: new URL('/img/a.jpg?w=600', document.baseURI).href,
      canonical: new URL('/guides/layering?ref=nav', document.baseURI).href,
    })
    document.head.innerHTML = ''
    tag('og:image', 'javascript:alert(1)')
    canonical(`https://shop.example/${'p'.repeat(limits.propValue)}`)
    expect(pageMeta()).toEqual({})
  })
})
