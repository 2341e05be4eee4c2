// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { engagementConfig } from '../config'
import { mount } from './index'

const api = 'https://api.promo.test'
const campaignId = '0190a0a0-0000-7000-8000-000000000021'
const variantId = '0190a0a0-0000-7000-8000-000000000022'
const uuidV4 = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/

function unit(config: Record<string, unknown> = {}, creative: Partial<Decision['creative']> = {}): Decision {
  return {
    slot: 'article-end',
    campaignId,
    variantId,
    type: 'engagement',
    format: 'inline',
    creative: { headline: 'Did this help?', ...creative },
    // As serve sends it: parsed, defaults filled in.
    config: engagementConfig.parse(config) as Record<string, unknown>,
    visitorToken: 'tok-anon-7',
  }
}

const counts = (extra: Record<string, unknown> = {}) => ({
  likes: 3,
  reactions: { love: 2 },
  shares: 1,
  comments: 0,
  voters: 0,
  ...extra,
})
const state = (extra: Record<string, unknown> = {}) => ({ liked: false, reaction: null, voted: [], ...extra })

interface Call {
  method: string
  url: string
  body?: Record<string, unknown>
}
type Reply = { status?: number; body: unknown } | Promise<never>

/**
 * The engagements API as the widget sees it: GET answers `first`, each POST what `post` makes of its body
 * (by default: 200 with the counts and state it implies for a like). Every request is recorded.
 */
function fakeApi(first: Record<string, unknown> = {}, post?: (body: Record<string, unknown>) => Reply) {
  const calls: Call[] = []
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET'
    const body = init?.body ? JSON.parse(String(init.body)) : undefined
    calls.push({ method, url, body })
    const reply: Reply =
      method === 'GET'
        ? { body: { counts: counts(), state: state(), comments: [], ...first } }
        : (post?.(body) ?? {
            body: {
              counts: counts({ likes: body.action === 'like' ? 4 : 3 }),
              state: state({ liked: body.action === 'like' }),
            },
          })
    const { status = 200, body: answer } = await reply
    return new Response(JSON.stringify(answer), { status, headers: { 'Content-Type': 'application/json' } })
  })
  vi.stubGlobal('fetch', fetch)
  const posts = () => calls.filter((call) => call.method === 'POST').map((call) => call.body!)
  return { calls, posts, fetch }
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
})

function draw(decision: Decision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('promo-unit')
  document.body.appendChild(host)
  const context = {
    onClick: vi.fn(),
    onClose: vi.fn(),
    track: vi.fn(),
    report: vi.fn(),
    sender: () => ({ api, site: 'pk_test_eng', anonymousId: 'anon-7' }),
    ...ctx,
  }
  const unmount = mount(host, decision, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const root = host.shadowRoot!
  const $ = <E extends Element = HTMLElement>(selector: string) => root.querySelector<E>(selector)!
  const $$ = <E extends Element = HTMLElement>(selector: string) => [...root.querySelectorAll<E>(selector)]
  const button = (text: string) => $$<HTMLButtonElement>('button').find((b) => b.textContent!.includes(text))!
  const status = () => $('[role=status]').textContent
  return { host, root, context, $, $$, button, status }
}

/** Lets Preact apply state updates and run effects, and a fetch answer arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30))

/** Waits for the poll's and comments' chunk (a dynamic import) to arrive and draw. */
async function loaded(root: ShadowRoot) {
  for (let i = 0; i < 100 && !root.querySelector('form'); i++) await settle()
  await settle()
}

describe('engagement unit', () => {
  it('shows the headline and text as text, and lays itself out in a section of its own', async () => {
    fakeApi()
    const { root, $ } = draw(unit({}, { headline: '<b>Bold</b> take', body: '<img src=x onerror=alert(1)>' }))
    await settle()
    expect(root.firstElementChild!.tagName).toBe('SECTION')
    expect(root.querySelector('b')).toBeNull()
    expect(root.querySelector('img')).toBeNull()
    expect($('h2').textContent).toBe('<b>Bold</b> take')
    expect($('.body').textContent).toBe('<img src=x onerror=alert(1)>')
  })

  it('reads counts and state with the site key, the campaign and the visitor', async () => {
    const { calls } = fakeApi({ state: state({ liked: true }) })
    const { button } = draw(unit())
    await settle()
    const url = new URL(calls[0]!.url)
    expect(`${url.origin}${url.pathname}`).toBe(`${api}/api/v1/engagements`)
    expect(Object.fromEntries(url.searchParams)).toEqual({
      site: 'pk_test_eng',
      campaignId,
      anonymousId: 'anon-7',
    })
    expect(button('Like').getAttribute('aria-pressed')).toBe('true')
    expect(button('Like').querySelector('.n')!.textContent).toBe('3')
  })
})

describe('like', () => {
  it('shows the like at once, posts it with the visitor token, and a second press unlikes', async () => {
    const { posts } = fakeApi()
    const { button, status } = draw(unit())
    await settle()
    const like = button('Like')
    like.click()
    // Before the API answers.
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(like.getAttribute('aria-pressed')).toBe('true')
    expect(like.querySelector('.n')!.textContent).toBe('4')
    await settle()
    expect(posts()).toEqual([
      expect.objectContaining({
        site: 'pk_test_eng',
        campaignId,
        variantId,
        anonymousId: 'anon-7',
        visitorToken: 'tok-anon-7',
        action: 'like',
        url: location.href,
      }),
    ])
    expect(status()).toContain('Liked')
    like.click()
    await settle()
    expect(posts()[1]!.action).toBe('unlike')
    expect(like.getAttribute('aria-pressed')).toBe('false')
    expect(like.querySelector('.n')!.textContent).toBe('3')
  })

  it('takes the like back when the API refuses it, and says so', async () => {
    fakeApi({}, () => ({ status: 503, body: { error: { code: 'unavailable', message: 'Try again soon.' } } }))
    const { button, status, context } = draw(unit())
    await settle()
    button('Like').click()
    await settle()
    expect(button('Like').getAttribute('aria-pressed')).toBe('false')
    expect(button('Like').querySelector('.n')!.textContent).toBe('3')
    expect(status()).toBe('Try again soon.')
    expect(context.report).not.toHaveBeenCalled()
  })

  it('never throws into the page when the network fails: the like is taken back and the error reported', async () => {
    fakeApi({}, () => Promise.reject(new TypeError('Failed to fetch')))
    const { button, status, context } = draw(unit())
    await settle()
    expect(() => button('Like').click()).not.toThrow()
    await settle()
    expect(button('Like').getAttribute('aria-pressed')).toBe('false')
    expect(status()).toMatch(/did not work/)
    expect(context.report).toHaveBeenCalledWith(expect.any(TypeError))
  })

  it('without consent to keep an id, acts as this page view and sends no visitor token', async () => {
    const { posts } = fakeApi()
    const { button } = draw(unit(), { sender: () => ({ api, site: 'pk_test_eng' }) })
    await settle()
    button('Like').click()
    await settle()
    expect(posts()[0]!.anonymousId).toMatch(/^view-\w+$/)
    expect(posts()[0]).not.toHaveProperty('visitorToken')
  })

  it('hides the numbers when the config says not to show counts', async () => {
    fakeApi()
    const { button } = draw(unit({ showCounts: false }))
    await settle()
    expect(button('Like').querySelector('.n')).toBeNull()
  })
})

describe('reactions', () => {
  it('reacts, moves to another reaction, and takes it back with a second press', async () => {
    const { posts } = fakeApi({}, (body) => ({
      body: { counts: counts(), state: state({ reaction: body.action === 'react' ? body.reaction : null }) },
    }))
    const { $$ } = draw(unit({ engagementTypes: ['react'], reactions: ['love', 'wow'] }))
    await settle()
    const [love, wow] = $$<HTMLButtonElement>('button')
    expect(love!.textContent).toContain('love')
    expect(love!.querySelector('.n')!.textContent).toBe('2')
    love!.click()
    await settle()
    expect(love!.getAttribute('aria-pressed')).toBe('true')
    wow!.click()
    await settle()
    expect(wow!.getAttribute('aria-pressed')).toBe('true')
    expect(love!.getAttribute('aria-pressed')).toBe('false')
    wow!.click()
    await settle()
    expect(posts().map(({ action, reaction }) => [action, reaction])).toEqual([
      ['react', 'love'],
      ['react', 'wow'],
      ['unreact', 'wow'],
    ])
    expect(wow!.getAttribute('aria-pressed')).toBe('false')
  })
})

describe('share', () => {
  const shareUnit = (share: Record<string, unknown> = {}) =>
    unit({
      engagementTypes: ['share'],
      share: { networks: ['facebook', 'x', 'linkedin', 'email'], ...share },
    })

  it('links to each network with the share link: UTM, the campaign and a fresh share id', async () => {
    fakeApi()
    const { $$ } = draw(shareUnit({ url: 'https://shop.example/guide?ref=1', hashtags: ['winter'] }))
    await settle()
    const [facebook, x, linkedin, email] = $$<HTMLAnchorElement>('a')
    const shared = (href: string, param: string) => new URL(new URL(href).searchParams.get(param)!)
    const link = shared(facebook!.href, 'u')
    expect(`${link.origin}${link.pathname}`).toBe('https://shop.example/guide')
    expect(link.searchParams.get('ref')).toBe('1')
    expect(link.searchParams.get('utm_source')).toBe('facebook')
    expect(link.searchParams.get('utm_medium')).toBe('share')
    expect(link.searchParams.get('utm_campaign')).toBe(campaignId)
    expect(link.searchParams.get('promo_share')).toMatch(uuidV4)
    expect(facebook!.href.startsWith('https://www.facebook.com/sharer/sharer.php?')).toBe(true)
    expect(shared(x!.href, 'url').searchParams.get('utm_source')).toBe('x')
    expect(new URL(x!.href).searchParams.get('hashtags')).toBe('winter')
    expect(new URL(x!.href).searchParams.get('text')).toBe('Did this help?')
    expect(shared(linkedin!.href, 'url').searchParams.get('utm_source')).toBe('linkedin')
    for (const a of [facebook, x, linkedin]) {
      expect(a!.target).toBe('_blank')
      expect(a!.rel).toBe('noopener noreferrer')
    }
    expect(email!.href.startsWith('mailto:?subject=')).toBe(true)
    expect(email!.hasAttribute('target')).toBe(false)
    expect(decodeURIComponent(email!.href)).toContain('utm_source=email')
  })

  it('posts the share with the id its link carries, and gives the next share a new id', async () => {
    const { posts } = fakeApi({}, () => ({ body: { counts: counts({ shares: 2 }), state: state() } }))
    const { $$, $ } = draw(shareUnit())
    await settle()
    const facebook = () => $$<HTMLAnchorElement>('a')[0]!
    const idIn = (a: HTMLAnchorElement) =>
      new URL(new URL(a.href).searchParams.get('u')!).searchParams.get('promo_share')
    const first = idIn(facebook())
    facebook().addEventListener('click', (event) => event.preventDefault())
    facebook().click()
    await settle()
    expect(posts()).toEqual([
      expect.objectContaining({ action: 'share', network: 'facebook', shareId: first }),
    ])
    expect(idIn(facebook())).not.toBe(first)
    expect(idIn(facebook())).toMatch(uuidV4)
    expect($('.row .n').textContent).toBe('2 shares')
  })

  it('shares this page when neither the share URL nor the content URL is set, else the content URL', async () => {
    fakeApi()
    const page = draw(shareUnit())
    const content = draw(unit({ engagementTypes: ['share'], contentUrl: 'https://shop.example/post/9' }))
    await settle()
    const linkOf = (a: HTMLAnchorElement) => new URL(new URL(a.href).searchParams.get('u')!)
    const here = new URL(location.href)
    expect(linkOf(page.$$<HTMLAnchorElement>('a')[0]!).pathname).toBe(here.pathname)
    expect(linkOf(content.$$<HTMLAnchorElement>('a')[0]!).href).toMatch(/^https:\/\/shop\.example\/post\/9\?/)
  })

  it('copies the share link and says so, then posts the share', async () => {
    const { posts } = fakeApi()
    const writeText = vi.fn(async (_text: string) => {})
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } })
    const { button, status } = draw(shareUnit({ networks: ['copy'] }))
    await settle()
    button('Copy link').click()
    await settle()
    const copied = new URL(writeText.mock.calls[0]![0])
    expect(copied.searchParams.get('utm_source')).toBe('copy')
    expect(copied.searchParams.get('promo_share')).toMatch(uuidV4)
    expect(status()).toBe('Link copied')
    expect(posts()).toEqual([
      expect.objectContaining({
        action: 'share',
        network: 'copy',
        shareId: copied.searchParams.get('promo_share'),
      }),
    ])
  })

  it('shows the link to copy by hand when the clipboard is refused, and counts no share', async () => {
    const { posts } = fakeApi()
    vi.stubGlobal('navigator', { ...navigator, clipboard: undefined })
    const { button, status } = draw(shareUnit({ networks: ['copy'] }))
    await settle()
    expect(() => button('Copy link').click()).not.toThrow()
    await settle()
    expect(status()).toMatch(/^Copy this link: http/)
    expect(posts()).toEqual([])
  })

  it('offers the device share sheet only where navigator.share exists, and counts a share it completed', async () => {
    fakeApi()
    vi.stubGlobal('navigator', { ...navigator, share: undefined })
    expect(draw(shareUnit({ networks: ['webshare'] })).$$('button')).toHaveLength(0)
    const share = vi.fn(async (_data: ShareData) => {})
    vi.stubGlobal('navigator', { ...navigator, share })
    const { posts } = fakeApi()
    const { button } = draw(shareUnit({ networks: ['webshare'] }))
    await settle()
    button('Share').click()
    await settle()
    expect(new URL(share.mock.calls[0]![0].url!).searchParams.get('utm_source')).toBe('webshare')
    expect(posts()).toEqual([expect.objectContaining({ action: 'share', network: 'webshare' })])
  })

  it('counts no share when the visitor closes the share sheet', async () => {
    const { posts } = fakeApi()
    vi.stubGlobal('navigator', {
      ...navigator,
      share: vi.fn(async () => Promise.reject(new Error('AbortError'))),
    })
    const { button } = draw(shareUnit({ networks: ['webshare'] }))
    await settle()
    button('Share').click()
    await settle()
    expect(posts()).toEqual([])
  })
})

describe('poll', () => {
  const poll = (extra: Record<string, unknown> = {}) => ({
    engagementTypes: ['vote'],
    poll: {
      question: 'Which season?',
      options: [
        { id: 'winter', label: 'Winter' },
        { id: 'summer', label: 'Summer' },
      ],
      ...extra,
    },
  })
  const voted = (options: string[]) => ({
    body: {
      counts: counts({ votes: { winter: 3, summer: 1 }, voters: 4 }),
      state: state({ voted: options }),
    },
  })

  it('takes one vote among radio buttons, then shows the results and no buttons', async () => {
    const { posts } = fakeApi({}, (body) => voted(body.options as string[]))
    const { $, $$, button, status, root } = draw(unit(poll()))
    await loaded(root)
    expect($('legend').textContent).toBe('Which season?')
    const radios = $$<HTMLInputElement>('input[type=radio]')
    expect(radios).toHaveLength(2)
    expect($('.bar')).toBeNull()
    radios[0]!.click()
    button('Vote').click()
    await settle()
    expect(posts()).toEqual([expect.objectContaining({ action: 'vote', options: ['winter'] })])
    expect($$('input')).toHaveLength(0)
    expect($$('button')).toHaveLength(0)
    expect($$('.option .n').map((n) => n.textContent)).toEqual(['75% (3)', '25% (1)'])
    expect($('.option').textContent).toContain('✓')
    expect(status()).toBe('Thanks for voting.')
  })

  it('takes several options as check boxes when the poll allows it', async () => {
    const { posts } = fakeApi({}, (body) => voted(body.options as string[]))
    const { $$, button, root } = draw(unit(poll({ allowMultiple: true })))
    await loaded(root)
    const boxes = $$<HTMLInputElement>('input[type=checkbox]')
    for (const box of boxes) box.click()
    button('Vote').click()
    await settle()
    expect(posts()[0]!.options).toEqual(['winter', 'summer'])
  })

  it('asks for a choice instead of sending an empty vote', async () => {
    const { posts } = fakeApi()
    const { button, status, root } = draw(unit(poll()))
    await loaded(root)
    button('Vote').click()
    await settle()
    expect(posts()).toEqual([])
    expect(status()).toBe('Choose an option first.')
  })

  it('shows results beside the buttons when the API sends them before a vote (showResults always)', async () => {
    fakeApi({ counts: counts({ votes: { winter: 1, summer: 1 }, voters: 2 }) })
    const { $$, root } = draw(unit(poll({ showResults: 'always' })))
    await loaded(root)
    expect($$('input[type=radio]')).toHaveLength(2)
    expect($$('.option .n').map((n) => n.textContent)).toEqual(['50% (1)', '50% (1)'])
  })

  it('a closed poll shows its results and no buttons', async () => {
    fakeApi({ counts: counts({ votes: { winter: 2, summer: 0 }, voters: 2 }) })
    const { $$, $, root } = draw(unit(poll({ closesAt: '2020-01-01T00:00:00Z' })))
    await loaded(root)
    expect($$('input')).toHaveLength(0)
    expect($$('button')).toHaveLength(0)
    expect($('.note').textContent).toBe('This poll is closed.')
    expect(root.textContent).toContain('100% (2)')
  })

  it('closes the poll when the API says it closed, and reloads the state when this visitor had voted', async () => {
    let answer = { status: 409, body: { error: { code: 'poll_closed', message: 'The poll is closed.' } } }
    const api = fakeApi({}, () => answer)
    const closing = draw(unit(poll()))
    await loaded(closing.root)
    closing.$$<HTMLInputElement>('input')[0]!.click()
    closing.button('Vote').click()
    await settle()
    expect(closing.$('.note').textContent).toBe('This poll is closed.')

    answer = { status: 409, body: { error: { code: 'already_voted', message: 'You have voted.' } } }
    const again = draw(unit(poll()))
    await loaded(again.root)
    const gets = api.calls.filter((call) => call.method === 'GET').length
    again.$$<HTMLInputElement>('input')[0]!.click()
    again.button('Vote').click()
    await settle()
    expect(api.calls.filter((call) => call.method === 'GET').length).toBe(gets + 1)
  })

  it('is removed before its chunk arrives without an error', async () => {
    // The unit goes away as it starts loading (its first fetch and its chunk's import start together).
    const removeAll = () => {
      for (const cleanup of cleanups.splice(0)) cleanup()
      return new Promise<never>(() => {})
    }
    vi.stubGlobal('fetch', vi.fn(removeAll))
    const { context, host } = draw(unit(poll()))
    for (let i = 0; i < 20; i++) await settle()
    expect(host.shadowRoot!.childElementCount).toBe(0)
    expect(context.report).not.toHaveBeenCalled()
  })

  it('reserves the poll its place while its chunk loads', () => {
    fakeApi()
    const { root } = draw(unit(poll()))
    const placeholder = root.querySelector<HTMLElement>('section > div')!
    expect(placeholder.style.minHeight).toBe('10em')
  })
})

describe('comments', () => {
  const talk = (extra: Record<string, unknown> = {}) =>
    unit({ engagementTypes: ['comment'], comments: { maxLength: 40, ...extra } })
  const typeIn = (field: HTMLInputElement | HTMLTextAreaElement, value: string) => {
    field.value = value
    field.dispatchEvent(new Event('input', { bubbles: true }))
  }

  it('lists the recent comments as text, markup and all', async () => {
    fakeApi({
      comments: [
        {
          id: 'c1',
          name: '<i>Ann</i>',
          text: '<script>alert(1)</script> nice',
          createdAt: '2026-12-01T10:00:00Z',
        },
        { id: 'c2', text: 'plain', createdAt: '2026-12-02T10:00:00Z' },
      ],
    })
    const { $$, root } = draw(talk())
    await loaded(root)
    const items = $$('.list li')
    expect(items).toHaveLength(2)
    expect(root.querySelector('script')).toBeNull()
    expect(root.querySelector('i')).toBeNull()
    expect(items[0]!.querySelector('b')!.textContent).toBe('<i>Ann</i>')
    expect(items[0]!.querySelector('p')!.textContent).toBe('<script>alert(1)</script> nice')
    expect(items[1]!.querySelector('b')!.textContent).toBe('Anonymous')
    expect(items[0]!.querySelector('time')!.getAttribute('datetime')).toBe('2026-12-01T10:00:00Z')
  })

  it('puts the form above the list, so comments arriving or added move nothing of the unit', async () => {
    fakeApi()
    const { $, root } = draw(talk())
    await loaded(root)
    const after = $('.comments form').compareDocumentPosition($('.list'))
    expect(after & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy()
    expect($('.list').getAttribute('style')).toBeNull()
  })

  it('counts the characters typed against the limit, which the field enforces', async () => {
    fakeApi()
    const { $, root } = draw(talk())
    await loaded(root)
    const text = $<HTMLTextAreaElement>('textarea')
    expect(text.maxLength).toBe(40)
    typeIn(text, 'hello')
    await settle()
    expect($('#promo-left').textContent).toBe('5/40')
    expect(text.getAttribute('aria-describedby')).toBe('promo-left')
  })

  it('a comment held for moderation says it awaits moderation and is not listed', async () => {
    const { posts } = fakeApi({}, (body) => ({
      status: 201,
      body: {
        counts: counts(),
        state: state(),
        comment: {
          id: 'c9',
          status: 'pending',
          text: body.text,
          name: body.name,
          createdAt: '2026-12-06T00:00:00Z',
        },
      },
    }))
    const { $, $$, status, button, root } = draw(talk({ moderation: 'pre' }))
    await loaded(root)
    typeIn($<HTMLInputElement>('form input'), 'Bo')
    typeIn($<HTMLTextAreaElement>('textarea'), '<b>hi</b>')
    await settle()
    button('Post').click()
    await settle()
    expect(posts()).toEqual([expect.objectContaining({ action: 'comment', text: '<b>hi</b>', name: 'Bo' })])
    expect(status()).toBe('Thanks! Your comment awaits moderation.')
    expect($$('.list li')).toHaveLength(0)
    expect($<HTMLTextAreaElement>('textarea').value).toBe('')
  })

  it('a published comment appears at the top of the list at once, as text', async () => {
    fakeApi({ comments: [{ id: 'c1', text: 'first', createdAt: '2026-12-01T10:00:00Z' }] }, (body) => ({
      status: 201,
      body: {
        counts: counts({ comments: 2 }),
        state: state(),
        comment: { id: 'c2', status: 'published', text: body.text, createdAt: '2026-12-06T00:00:00Z' },
      },
    }))
    const { $, $$, button, root } = draw(talk())
    await loaded(root)
    typeIn($<HTMLTextAreaElement>('textarea'), '<img src=x>')
    await settle()
    button('Post').click()
    await settle()
    expect($$('.list li p').map((p) => p.textContent)).toEqual(['<img src=x>', 'first'])
    expect(root.querySelector('img')).toBeNull()
    expect($('.comments .note').textContent).toBe('2 comments')
  })

  it('says to wait when the API limits the rate, and keeps the text', async () => {
    fakeApi({}, () => ({ status: 429, body: { error: { code: 'rate_limited', message: 'Slow down' } } }))
    const { $, status, button, root } = draw(talk())
    await loaded(root)
    typeIn($<HTMLTextAreaElement>('textarea'), 'again')
    await settle()
    button('Post').click()
    await settle()
    expect(status()).toBe('Too many tries, please wait a moment.')
    expect($<HTMLTextAreaElement>('textarea').value).toBe('again')
    expect(button('Post').disabled).toBe(false)
  })
})

describe('admin preview', () => {
  it('sends nothing and keeps a like to itself', async () => {
    const { fetch } = fakeApi()
    const { button, $$ } = draw(unit({ engagementTypes: ['like', 'share', 'comment'] }), {
      preview: true,
      sender: undefined,
    })
    await settle()
    button('Like').click()
    const link = $$<HTMLAnchorElement>('a')[0]!
    const click = new MouseEvent('click', { bubbles: true, cancelable: true })
    link.dispatchEvent(click)
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(click.defaultPrevented).toBe(true)
    expect(button('Like').getAttribute('aria-pressed')).toBe('true')
  })
})
