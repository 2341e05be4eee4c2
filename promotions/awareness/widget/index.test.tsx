// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Creative } from '../../../schema/campaign'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { mount } from './index'

const hostile = '<img src=x onerror=alert(1)>'

function decision(
  format: string,
  creative: Partial<Creative> = {},
  config: Record<string, unknown> = {},
): Decision {
  return {
    campaignId: '0190a0a0-0000-7000-8000-000000000001',
    variantId: '0190a0a0-0000-7000-8000-000000000002',
    type: 'awareness',
    format,
    ...(format === 'hero' || format === 'inline' ? { slot: 'home-hero' } : {}),
    creative: {
      headline: 'Winter sale',
      body: 'Up to 40% off',
      ctaText: 'Shop now',
      ctaUrl: 'https://shop.example/sale',
      ...creative,
    },
    config,
    clickUrl: 'https://promo.example/r/signed-token',
    token: 'signed-token',
  }
}

const cleanups: (() => void)[] = []
function draw(unit: Decision, ctx: Partial<FormatContext> = {}) {
  const host = document.createElement('div')
  document.body.appendChild(host)
  const context = { onClick: vi.fn(), onClose: vi.fn(), ...ctx }
  const unmount = mount(host, unit, context)
  cleanups.push(() => {
    unmount()
    host.remove()
  })
  const root = host.shadowRoot!
  return { host, root, context, unmount }
}

/** Lets Preact apply a state update. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

const key = (target: Element, init: KeyboardEventInit) =>
  target.dispatchEvent(
    new KeyboardEvent('keydown', { bubbles: true, composed: true, cancelable: true, ...init }),
  )

afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
})

describe('awareness banner', () => {
  it('renders creative text as text inside an open shadow root, styled only by an adopted sheet', () => {
    const { host, root } = draw(decision('hero', { headline: hostile, body: hostile, ctaText: hostile }))
    expect(host.shadowRoot).toBe(root)
    expect(root.mode).toBe('open')
    expect(root.querySelector('.headline')!.textContent).toBe(hostile)
    expect(root.querySelector('.body')!.textContent).toBe(hostile)
    expect(root.querySelector('.cta')!.textContent).toBe(hostile)
    expect(root.querySelector('img')).toBeNull()
    expect(root.querySelector('style')).toBeNull()
    expect(root.querySelector('[style]')).toBeNull()
    expect(root.adoptedStyleSheets).toHaveLength(1)
    expect(host.innerHTML).toBe('')
  })

  it('links through the signed click URL and drops non-http(s) links and images', () => {
    const live = draw(decision('inline', { imageUrl: 'https://shop.example/a.jpg' }))
    expect(live.root.querySelector('a')!.getAttribute('href')).toBe('https://promo.example/r/signed-token')
    const image = live.root.querySelector('img')!
    expect(image.getAttribute('loading')).toBe('lazy')
    expect(image.getAttribute('width')).toBe(image.getAttribute('height'))

    const unsafe = decision('hero', { ctaUrl: 'javascript:alert(1)', imageUrl: 'data:image/png;base64,AAAA' })
    delete unsafe.clickUrl
    const blocked = draw(unsafe)
    expect(blocked.root.querySelector('a')).toBeNull()
    expect(blocked.root.querySelector('img')).toBeNull()
  })

  it('applies hex creative colours as custom properties and ignores anything else', () => {
    const { root } = draw(
      decision('hero', { backgroundColor: '#102030', textColor: 'red;background:url(x)' }),
    )
    const unit = root.querySelector<HTMLElement>('.unit')!
    expect(unit.style.getPropertyValue('--promo-bg')).toBe('#102030')
    expect(unit.style.getPropertyValue('--promo-fg')).toBe('')
  })

  it('shows a close button on hero and inline unless config.dismissible is false', () => {
    expect(draw(decision('hero')).root.querySelector('button.close')).not.toBeNull()
    expect(draw(decision('inline', {}, { dismissible: false })).root.querySelector('button.close')).toBeNull()
    // Sticky bars can always be closed.
    expect(
      draw(decision('sticky', {}, { dismissible: false })).root.querySelector('button.close'),
    ).not.toBeNull()
  })

  it('places sticky bars at the bottom or the top', () => {
    expect(draw(decision('sticky')).root.querySelector('.bar.bottom')).not.toBeNull()
    expect(draw(decision('sticky_bottom')).root.querySelector('.bar.bottom')).not.toBeNull()
    expect(draw(decision('sticky_top')).root.querySelector('.bar.top')).not.toBeNull()
  })

  it('hides itself and tells the context when closed', async () => {
    const { root, context } = draw(decision('inline'))
    root.querySelector<HTMLButtonElement>('button.close')!.click()
    await settle()
    expect(context.onClose).toHaveBeenCalledTimes(1)
    expect(root.querySelector('.unit')).toBeNull()
  })

  it('reports a click and lets the link navigate on a site, but not in preview', () => {
    const seen: boolean[] = []
    // Runs after the banner's own handler; stops happy-dom from actually navigating.
    const record = (event: Event) => {
      seen.push(event.defaultPrevented)
      event.preventDefault()
    }
    document.addEventListener('click', record)
    try {
      const live = draw(decision('hero'))
      live.root.querySelector<HTMLAnchorElement>('a.cta')!.click()
      const preview = draw(decision('hero'), { preview: true })
      preview.root.querySelector<HTMLAnchorElement>('a.cta')!.click()
      expect(seen).toEqual([false, true])
      expect(live.context.onClick).toHaveBeenCalledTimes(1)
      expect(preview.context.onClick).toHaveBeenCalledTimes(1)
    } finally {
      document.removeEventListener('click', record)
    }
  })
})

describe('awareness video', () => {
  const clip = { videoUrl: 'https://cdn.example/clip.mp4', posterUrl: 'https://cdn.example/poster.jpg' }

  it('plays the creative video muted and inline, with its poster, autoplaying only when configured', () => {
    const { root } = draw(decision('hero', clip, { mediaType: 'video', autoplay: true }))
    const video = root.querySelector('video')!
    expect(video.getAttribute('src')).toBe(clip.videoUrl)
    expect(video.getAttribute('poster')).toBe(clip.posterUrl)
    expect(video.muted).toBe(true)
    expect(video.hasAttribute('playsinline')).toBe(true)
    expect(video.autoplay).toBe(true)
    expect(video.getAttribute('width')).toBe('16')
    expect(video.getAttribute('height')).toBe('9')
    expect(draw(decision('hero', clip, { mediaType: 'video' })).root.querySelector('video')!.autoplay).toBe(
      false,
    )
  })

  it('does not autoplay for a visitor who prefers reduced motion', () => {
    const prefers = vi
      .spyOn(window, 'matchMedia')
      .mockImplementation(
        (query) => ({ matches: query === '(prefers-reduced-motion: reduce)' }) as MediaQueryList,
      )
    try {
      const { root } = draw(decision('hero', clip, { mediaType: 'video', autoplay: true }))
      expect(root.querySelector('video')!.autoplay).toBe(false)
    } finally {
      prefers.mockRestore()
    }
  })

  it('shows the image, not the video, unless the media type is video, and never a non-http(s) video', () => {
    const still = { ...clip, imageUrl: 'https://cdn.example/still.jpg' }
    const image = draw(decision('hero', still, { mediaType: 'image' })).root
    expect(image.querySelector('video')).toBeNull()
    expect(image.querySelector('img')).not.toBeNull()
    const unsafe = draw(decision('hero', { videoUrl: 'javascript:alert(1)' }, { mediaType: 'video' })).root
    expect(unsafe.querySelector('video')).toBeNull()
  })

  it("reports the video's events through the context", () => {
    const track = vi.fn()
    const { root } = draw(decision('inline', clip, { mediaType: 'video' }), { track })
    const video = root.querySelector('video')!
    video.dispatchEvent(new Event('play'))
    video.muted = false
    video.dispatchEvent(new Event('volumechange'))
    expect(track.mock.calls).toEqual([['play'], ['unmute']])
  })
})

describe('awareness text direction', () => {
  it('lets each piece of creative text take its own direction', () => {
    const { root } = draw(decision('hero', { headline: 'تخفيضات الشتاء' }))
    for (const selector of ['.headline', '.body', '.cta'])
      expect(root.querySelector(selector)!.getAttribute('dir')).toBe('auto')
  })
})

describe('awareness popup', () => {
  function openPopup(ctx: Partial<FormatContext> = {}) {
    const opener = document.createElement('button')
    opener.textContent = 'open'
    document.body.appendChild(opener)
    opener.focus()
    const drawn = draw(decision('popup'), ctx)
    const dialog = drawn.root.querySelector<HTMLElement>('[role="dialog"]')!
    return { ...drawn, opener, dialog }
  }

  it('is a modal dialog that takes focus', () => {
    const { root, dialog } = openPopup()
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(root.querySelector('.backdrop')).not.toBeNull()
    expect(root.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe('Winter sale')
    expect(root.activeElement).toBe(dialog)
  })

  it('closes on Escape and gives focus back to what had it before', async () => {
    const { root, context, opener } = openPopup()
    key(root.querySelector('a.cta')!, { key: 'Escape' })
    await settle()
    expect(context.onClose).toHaveBeenCalledTimes(1)
    expect(root.querySelector('[role="dialog"]')).toBeNull()
    expect(document.activeElement).toBe(opener)
  })

  it('keeps Tab and Shift+Tab cycling inside the dialog', () => {
    const { root } = openPopup()
    const cta = root.querySelector<HTMLElement>('a.cta')!
    const close = root.querySelector<HTMLElement>('button.close')!
    close.focus()
    key(close, { key: 'Tab' })
    expect(root.activeElement).toBe(cta)
    key(cta, { key: 'Tab', shiftKey: true })
    expect(root.activeElement).toBe(close)
  })

  it('closes on a click on the backdrop, not on a click inside the dialog', async () => {
    const { root, context, dialog } = openPopup()
    dialog.click()
    await settle()
    expect(context.onClose).not.toHaveBeenCalled()
    root.querySelector<HTMLElement>('.backdrop')!.click()
    await settle()
    expect(context.onClose).toHaveBeenCalledTimes(1)
  })

  it('brings focus back when it wanders outside', () => {
    const { root, dialog, opener } = openPopup()
    opener.focus()
    expect(root.activeElement).toBe(dialog)
  })

  it('leaves focus and keys alone in the admin preview', async () => {
    const { root, context, opener } = openPopup({ preview: true })
    expect(document.activeElement).toBe(opener)
    key(opener, { key: 'Escape' })
    await settle()
    expect(context.onClose).not.toHaveBeenCalled()
    expect(root.querySelector('[role="dialog"]')).not.toBeNull()
  })
})
