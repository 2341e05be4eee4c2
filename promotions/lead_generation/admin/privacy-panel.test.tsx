// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { PersonData } from '../../../admin/api'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { lead, mail, site, submission } from '../testing/admin'
import { describeCounts, PrivacyPanel } from './privacy-panel'

const person: PersonData = {
  email: 'ada@example.com',
  leads: [
    {
      ...lead(),
      submissions: [submission(), submission({ id: 's2' })],
      mail: [mail()],
      webhookDeliveries: [],
    },
  ],
  visitors: [],
  serverEvents: [],
  mail: [],
  webhookDeliveries: [],
}

function stubApi(found: PersonData = person) {
  const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
    init?.method === 'DELETE'
      ? json(200, {
          email: found.email,
          deleted: { leads: 1, submissions: 2, mail: 1, webhookDeliveries: 0, visitors: 0, serverEvents: 0 },
        })
      : json(200, found),
  )
  vi.stubGlobal('fetch', fetch)
  return fetch
}

async function lookUp(container: HTMLElement, email: string) {
  const input = container.querySelector<HTMLInputElement>('#privacy-email')!
  act(() => {
    input.value = email
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
  act(() => {
    container.querySelector('form')?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
  await settle()
}

const button = (container: HTMLElement, text: string) =>
  [...container.querySelectorAll('button')].find((b) => b.textContent === text)

let unmount = () => {}

afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

describe('privacy request', () => {
  it('looks a person up on the site and offers their data as a JSON file of the API’s answer', async () => {
    const fetch = stubApi()
    const files: Blob[] = []
    vi.spyOn(URL, 'createObjectURL').mockImplementation((file) => {
      files.push(file as Blob)
      return 'blob:admin/person-1'
    })
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {})
    const view = renderInto(<PrivacyPanel site={site} />)
    unmount = view.unmount
    await lookUp(view.container, ' Ada@Example.com ')

    expect(fetch.mock.calls[0]?.[0]).toBe(
      `/api/v1/leads/person?email=Ada%40Example.com&siteId=${encodeURIComponent(site.id)}`,
    )
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe(
      'Stored about ada@example.com: 1 lead, 2 submissions and 1 mail.',
    )
    const link = view.container.querySelector<HTMLAnchorElement>('a[download]')!
    expect(link.getAttribute('href')).toBe('blob:admin/person-1')
    expect(link.getAttribute('download')).toBe('promo-person-ada@example.com.json')
    expect(files[0]?.type).toBe('application/json')
    expect(JSON.parse(await files[0]!.text())).toEqual(person)

    // A new lookup lets the previous file go.
    await lookUp(view.container, 'ada@example.com')
    expect(revoke).toHaveBeenCalledWith('blob:admin/person-1')
  })

  it('erases only after the confirmation, which names what goes, and then shows what was erased', async () => {
    const fetch = stubApi()
    const confirm = vi.fn(() => false)
    vi.stubGlobal('confirm', confirm)
    const erased = vi.fn()
    const view = renderInto(<PrivacyPanel site={site} onErased={erased} />)
    unmount = view.unmount
    await lookUp(view.container, 'ada@example.com')

    act(() => {
      button(view.container, 'Erase this person')?.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    })
    await settle()
    expect(confirm).toHaveBeenCalledWith(
      'Erase 1 lead, 2 submissions and 1 mail stored about ada@example.com on Shop? This cannot be undone.',
    )
    expect(fetch.mock.calls.some(([, init]) => init?.method === 'DELETE')).toBe(false)

    confirm.mockReturnValue(true)
    act(() => {
      button(view.container, 'Erase this person')?.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    })
    await settle()
    const erase = fetch.mock.calls.find(([, init]) => init?.method === 'DELETE')
    expect(erase?.[0]).toBe(
      `/api/v1/leads/person?email=ada%40example.com&siteId=${encodeURIComponent(site.id)}`,
    )
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe(
      'Erased 1 lead, 2 submissions and 1 mail about ada@example.com.',
    )
    expect(view.container.querySelector('a[download]')).toBeNull()
    expect(erased).toHaveBeenCalledTimes(1)
  })

  it('says so when nothing is stored, and offers nothing to download or erase', async () => {
    stubApi({
      email: 'nobody@example.com',
      leads: [],
      visitors: [],
      serverEvents: [],
      mail: [],
      webhookDeliveries: [],
    })
    const view = renderInto(<PrivacyPanel site={site} />)
    unmount = view.unmount
    await lookUp(view.container, 'nobody@example.com')
    expect(view.container.querySelector('[role="status"]')?.textContent).toBe(
      'Nothing is stored about nobody@example.com on Shop.',
    )
    expect(view.container.querySelector('a[download]')).toBeNull()
    expect(button(view.container, 'Erase this person')).toBeUndefined()
  })

  it('counts in words', () => {
    expect(
      describeCounts({
        leads: 2,
        submissions: 1,
        mail: 0,
        webhookDeliveries: 0,
        visitors: 0,
        serverEvents: 0,
      }),
    ).toBe('2 leads, 1 submission and 0 mails')
    expect(
      describeCounts({
        leads: 1,
        submissions: 2,
        mail: 1,
        webhookDeliveries: 2,
        visitors: 1,
        serverEvents: 0,
      }),
    ).toBe('1 lead, 2 submissions, 1 mail, 2 webhook deliveries and the browsing of 1 visitor id')
    expect(
      describeCounts({
        leads: 0,
        submissions: 0,
        mail: 0,
        webhookDeliveries: 0,
        visitors: 1,
        serverEvents: 2,
      }),
    ).toBe('0 leads, 0 submissions, 0 mails, the browsing of 1 visitor id and 2 server conversions')
  })
})
