// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { mail, markup, site } from '../testing/admin'
import { OutboxPage } from './outbox'

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('outbox', () => {
  it('lists the site’s mail newest first, each text as plain text with its line breaks', async () => {
    const fetch = vi.fn(async (_url: string) =>
      json(200, {
        data: [
          mail({ subject: markup, text: `Hello <b>Ada</b>\n\n${markup}` }),
          mail({
            id: 'm2',
            status: 'failed',
            transport: 'smtp',
            attempts: 3,
            lastError: 'SMTP 550: mailbox unavailable',
          }),
        ],
        nextCursor: null,
      }),
    )
    vi.stubGlobal('fetch', fetch)
    const view = renderInto(<OutboxPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()

    expect(fetch.mock.calls[0]?.[0]).toBe(`/api/v1/outbox?siteId=${site.id}&limit=20`)
    const [first, second] = [...view.container.querySelectorAll('article.mail')]
    expect(first?.querySelector('h2')?.textContent).toBe(markup)
    expect(first?.querySelector('pre.mail-text')?.textContent).toBe(`Hello <b>Ada</b>\n\n${markup}`)
    expect(first?.querySelector('.badge')?.textContent).toBe('Kept in the outbox')
    expect(first?.textContent).toContain('ada@example.com')
    expect(view.container.querySelector('img, b')).toBeNull()
    expect(second?.querySelector('.badge')?.textContent).toBe('Failed')
    expect(second?.textContent).toContain('SMTP 550: mailbox unavailable')
    expect(second?.textContent).toContain('Attempts3')
  })

  it('says when there is no mail yet', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => json(200, { data: [], nextCursor: null })),
    )
    const view = renderInto(<OutboxPage sites={[site]} site={site} onSiteChange={() => {}} />)
    unmount = view.unmount
    await settle()
    expect(view.container.querySelector('h2')?.textContent).toBe('No mail yet')
  })
})
