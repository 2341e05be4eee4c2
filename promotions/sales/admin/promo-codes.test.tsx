// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { json, renderInto, settle } from '../../../admin/testing/render'
import { testSite } from '../../../admin/testing/site'
import { createCodesRequest } from '../server/routes'
import type { PromoCode, Redemption } from './api'
import { codesBody, PromoCodesPage } from './promo-codes'

const site = testSite({ id: 's1', name: 'Shop' })
const markup = '<img src=x onerror=alert(1)>'

const code = (fields: Partial<PromoCode>): PromoCode => ({
  id: 'k1',
  campaignId: 'c1',
  variantId: null,
  batchId: 'b1',
  kind: 'shared',
  code: 'WINTER10',
  expiresAt: null,
  minOrderValue: null,
  maxUses: 50,
  maxUsesPerCustomer: null,
  uses: 12,
  createdAt: '2026-12-01T10:00:00.000Z',
  ...fields,
})
const redemption = (fields: Partial<Redemption>): Redemption => ({
  redemptionId: 'r1',
  status: 'redeemed',
  replayed: false,
  code: 'WINTER10',
  campaignId: 'c1',
  variantId: null,
  orderId: 'order-1001',
  orderValue: 120,
  currency: 'EUR',
  discount: 12,
  createdAt: '2026-12-02T10:00:00.000Z',
  releasedAt: null,
  ...fields,
})

interface Call {
  method: string
  path: string
  search: string
  body?: unknown
}

/** The admin API as the codes screen meets it: the site's sales campaigns, each one's codes and redemptions. */
function server({ refuse }: { refuse?: unknown } = {}) {
  const calls: Call[] = []
  const codes: Record<string, PromoCode[]> = {
    c1: [
      code({}),
      code({
        id: 'k2',
        kind: 'unique',
        code: markup,
        maxUses: 1,
        uses: 0,
        expiresAt: '2027-01-01T00:00:00.000Z',
      }),
    ],
    c2: [],
    c3: [],
  }
  const redemptions: Record<string, Redemption[]> = {
    c1: [
      redemption({}),
      redemption({
        redemptionId: 'r2',
        orderId: markup,
        status: 'released',
        releasedAt: '2026-12-03T09:00:00.000Z',
      }),
    ],
    c2: [],
    c3: [],
  }
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const parsed = new URL(url, 'http://admin.test')
      const method = init?.method ?? 'GET'
      const body = init?.body ? JSON.parse(String(init.body)) : undefined
      calls.push({ method, path: parsed.pathname, search: parsed.search, body })
      if (parsed.pathname === '/api/v1/types')
        return json(200, {
          data: [
            { type: 'awareness', servable: true, promoCodes: false },
            { type: 'sales', servable: true, promoCodes: true },
            { type: 'remarketing', servable: true, promoCodes: true },
          ],
        })
      if (parsed.pathname === '/api/v1/campaigns') {
        const byType: Record<string, unknown[]> = {
          sales: [
            { id: 'c1', name: 'Winter sale', createdAt: '2026-12-01T00:00:00.000Z' },
            { id: 'c2', name: 'Spring sale', createdAt: '2026-11-01T00:00:00.000Z' },
          ],
          remarketing: [{ id: 'c3', name: 'Come back', createdAt: '2026-11-15T00:00:00.000Z' }],
        }
        return json(200, { data: byType[parsed.searchParams.get('type') ?? ''] ?? [], nextCursor: null })
      }
      const match = /^\/api\/v1\/campaigns\/(c\d)\/promo-codes(\/redemptions)?$/.exec(parsed.pathname)
      if (!match) return json(404, { error: { code: 'not_found', message: 'Not found' } })
      const id = match[1]!
      if (match[2]) return json(200, { data: redemptions[id], nextCursor: null })
      if (method === 'GET') return json(200, { data: codes[id], nextCursor: null })
      if (refuse) return json(400, refuse)
      const made = body.code
        ? [code({ id: 'k9', code: body.code.toUpperCase(), uses: 0, maxUses: body.maxUses ?? null })]
        : Array.from({ length: body.pool }, (_, i) =>
            code({ id: `p${i}`, kind: 'unique', code: `${body.prefix ?? ''}X${i}`, uses: 0 }),
          )
      codes[id]!.push(...made)
      return json(201, { batchId: 'b9', data: made })
    }),
  )
  return calls
}

const el = <T extends Element = HTMLInputElement>(c: HTMLElement, selector: string): T => {
  const found = c.querySelector<T>(selector)
  if (!found) throw new Error(`nothing at ${selector}`)
  return found
}
function type(c: HTMLElement, id: string, value: string) {
  const input = el(c, `#${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}
function submit(c: HTMLElement) {
  act(() => {
    el(c, 'form').dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  })
}
const rows = (c: HTMLElement, section: string) =>
  [...c.querySelectorAll(`section[aria-labelledby=${section}] tbody tr`)].map((row) =>
    [...row.children].map((cell) => cell.textContent),
  )

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
  history.replaceState(null, '', '/')
})

async function open() {
  const view = renderInto(<PromoCodesPage sites={[site]} site={site} onSiteChange={() => {}} />)
  unmount = view.unmount
  await settle()
  return view.container
}

describe('the promo codes screen', () => {
  it('lists the first sales campaign’s codes with their uses, and its redemptions, as text', async () => {
    const calls = server()
    const c = await open()
    expect(calls[0]).toMatchObject({ path: '/api/v1/types' })
    expect(calls.slice(1, 3)).toMatchObject([
      { path: '/api/v1/campaigns', search: '?siteId=s1&type=sales&limit=100' },
      { path: '/api/v1/campaigns', search: '?siteId=s1&type=remarketing&limit=100' },
    ])
    expect(el<HTMLSelectElement>(c, '#codes-campaign').value).toBe('c1')
    const codes = rows(c, 'codes-title')
    expect(codes[0]?.slice(0, 4)).toEqual(['WINTER10', 'Shared', '12 of 50', 'No limit'])
    expect(codes[1]?.[0]).toBe(markup)
    expect(codes[1]?.[5]).not.toBe('Never')
    const orders = rows(c, 'redemptions-title')
    expect(orders[0]?.[0]).toBe('order-1001')
    expect(orders[0]?.[2]).toContain('120.00')
    expect(orders[0]?.[3]).toContain('12.00')
    expect(orders[0]?.[5]).toBe('Redeemed')
    expect(orders[1]?.[0]).toBe(markup)
    expect(orders[1]?.[5]).toMatch(/^Released /)
    expect(c.querySelector('img')).toBeNull()
  })

  it('lists the campaigns of every type with codes, newest first: a remarketing incentive’s too', async () => {
    server()
    const c = await open()
    const options = [...el<HTMLSelectElement>(c, '#codes-campaign').options].map((o) => [o.value, o.text])
    expect(options).toEqual([
      ['c1', 'Winter sale'],
      ['c3', 'Come back'],
      ['c2', 'Spring sale'],
    ])
  })

  it('opens the campaign the address names, and switches with the picker', async () => {
    server()
    history.replaceState(null, '', '/admin/promo-codes?campaign=c2')
    const c = await open()
    expect(el<HTMLSelectElement>(c, '#codes-campaign').value).toBe('c2')
    expect(c.textContent).toContain('No codes yet')
    const picker = el<HTMLSelectElement>(c, '#codes-campaign')
    act(() => {
      picker.value = 'c1'
      picker.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await settle()
    expect(rows(c, 'codes-title')).toHaveLength(2)
  })

  it('makes a shared code with its rules, then shows it in the list', async () => {
    const calls = server()
    const c = await open()
    type(c, 'field-code', 'spring20')
    type(c, 'field-maxUses', '100')
    type(c, 'field-maxUsesPerCustomer', '1')
    type(c, 'field-minOrderValue', '40')
    type(c, 'field-expiresAt', '2027-03-01T00:00')
    submit(c)
    await settle()
    const post = calls.find((call) => call.method === 'POST')
    expect(post?.path).toBe('/api/v1/campaigns/c1/promo-codes')
    expect(post?.body).toEqual({
      code: 'spring20',
      maxUses: 100,
      maxUsesPerCustomer: 1,
      minOrderValue: 40,
      expiresAt: new Date('2027-03-01T00:00').toISOString(),
    })
    expect(createCodesRequest.safeParse(post?.body).success).toBe(true)
    expect(c.querySelector('[role=status]')?.textContent).toBe('The code was made.')
    expect(rows(c, 'codes-title').map((row) => row[0])).toContain('SPRING20')
  })

  it('makes a pool of unique codes with a prefix', async () => {
    const calls = server()
    const c = await open()
    const pool = el(c, 'input[type=radio]:not(:checked)')
    act(() => {
      pool.checked = true
      pool.dispatchEvent(new Event('change', { bubbles: true }))
    })
    type(c, 'field-pool', '3')
    type(c, 'field-prefix', 'VIP-')
    submit(c)
    await settle()
    const post = calls.find((call) => call.method === 'POST')
    expect(post?.body).toEqual({ pool: 3, prefix: 'VIP-' })
    expect(createCodesRequest.safeParse(post?.body).success).toBe(true)
    expect(c.textContent).toContain('3 codes were made.')
    expect(rows(c, 'codes-title')).toHaveLength(5)
  })

  it('shows the API’s refusal at the field it names, and keeps what was typed', async () => {
    server({
      refuse: {
        error: {
          code: 'validation_failed',
          message: 'Invalid body',
          details: [{ path: 'code', message: '3 to 50 letters, digits, _ and -' }],
        },
      },
    })
    const c = await open()
    type(c, 'field-code', 'no spaces')
    submit(c)
    await settle()
    expect(el(c, '#field-code').getAttribute('aria-invalid')).toBe('true')
    expect(c.querySelector('#field-code-error')?.textContent).toBe('3 to 50 letters, digits, _ and -')
    expect(el(c, '#field-code').value).toBe('no spaces')
    expect(c.querySelector('[role=alert]')?.textContent).toBe('Invalid body')
  })

  it('says when the site has no campaign with codes (an older server without the types’ flag: sales only)', async () => {
    const calls: string[] = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        calls.push(new URL(url, 'http://admin.test').search)
        return json(200, { data: [], nextCursor: null })
      }),
    )
    const c = await open()
    expect(calls).toContain('?siteId=s1&type=sales&limit=100')
    expect(c.querySelector('h2')?.textContent).toBe('No campaign with promo codes on this site')
    expect(c.querySelector('form')).toBeNull()
  })
})

describe('the codes request', () => {
  it('leaves out blank rules and sends what is not a number as typed, for the API to name', () => {
    const draft = {
      kind: 'pool' as const,
      code: '',
      pool: 'many',
      prefix: ' ',
      expiresAt: '',
      minOrderValue: '',
      maxUses: '',
      maxUsesPerCustomer: '2',
    }
    expect(codesBody(draft)).toEqual({ pool: 'many', maxUsesPerCustomer: 2 })
    const refused = createCodesRequest.safeParse(codesBody(draft))
    expect(refused.success).toBe(false)
    expect(refused.error?.issues[0]?.path).toEqual(['pool'])
  })
})
