import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ApiError, createApi } from '../../../admin/api'
import { configFrom, createBody, emptyForm, formFromCampaign } from '../../../admin/campaign-form'
import { adminTypeOf } from '../../../admin/promotions'
import { createHarness, type Harness, type Tenant } from '../../../api/testing/harness'
import { act } from '../testing/server'
import { engagementAdmin } from '.'
import { commentsApi } from './api'

/**
 * The admin's own client and forms against the real API (PGlite, or PostgreSQL with DATABASE_URL): what the
 * engagement editor makes is a campaign the server takes as it is, and the moderation screen's calls do what
 * the screen expects of them, for its own site only.
 */

let h: Harness

/** An admin client signed in as the tenant's user, its requests going to the app in memory with its cookie. */
async function signedIn(tenant: Tenant) {
  let cookie = ''
  const fetch = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers)
    if (cookie) headers.set('cookie', cookie)
    const response = await h.app.request(url, { ...init, headers })
    const set = response.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0] ?? ''
    return response
  }
  const api = createApi()
  // The client reads the global fetch on each call; each call here is made with this user's fetch in place.
  const as = <T>(call: () => Promise<T>) => {
    vi.stubGlobal('fetch', fetch)
    return call().finally(() => vi.unstubAllGlobals())
  }
  await as(() => api.login(tenant.email, tenant.password))
  return { api, as }
}

beforeAll(async () => {
  h = await createHarness()
})
afterAll(() => h.close())

describe('engagement admin against the API', () => {
  it('creates the campaign the editor makes, and reads it back into the same config', async () => {
    const { api, as } = await signedIn(h.a)
    const form = emptyForm(
      'engagement',
      engagementAdmin.defaultConfig(),
      false,
      engagementAdmin.defaultFrequency,
    )
    form.name = 'Recipe reactions'
    form.placements = 'article-end'
    form.variants[0]!.creative.headline = 'Did you like it?'
    const config = {
      ...form.config,
      engagementTypes: ['like', 'react', 'comment', 'vote'],
      poll: {
        question: 'Which soup?',
        options: [
          { id: 'leek', label: 'Leek' },
          { id: 'tomato', label: 'Tomato' },
        ],
        allowMultiple: false,
        showResults: 'after_vote',
      },
      comments: { maxLength: 300, showRecent: 5, moderation: 'pre' },
    }
    const created = await as(() =>
      api.createCampaign(createBody({ ...form, config }, config, 'inline', h.a.siteId)),
    )
    expect(created.type).toBe('engagement')
    expect(created.placements).toEqual(['article-end'])
    expect(created.frequency).toEqual({ countOn: 'viewable' })
    const reread = formFromCampaign(created, !adminTypeOf(created.type)?.ConfigEditor)
    expect(configFrom(reread)).toEqual({ config })
  })

  it('refuses a broken config with the failing path, as the editors show it', async () => {
    const { api, as } = await signedIn(h.a)
    const form = { ...emptyForm('engagement', { engagementTypes: ['vote'] }, false), name: 'No poll' }
    form.variants[0]!.creative.headline = 'Vote'
    const refused = await as(() =>
      api.createCampaign(createBody(form, form.config, 'inline', h.a.siteId)),
    ).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(ApiError)
    expect((refused as ApiError).fieldProblems.map((p) => p.path)).toContain('config.poll')

    // A type edited as JSON: the API's paths land under `config`, as the JSON box lists them.
    const sales = { ...emptyForm('sales', {}, true), configText: '{"format": 12}', name: 'Sale' }
    sales.variants[0]!.creative.headline = 'Sale'
    const parsed = configFrom(sales)
    if (!('config' in parsed)) throw new Error('the JSON parses')
    const json = await as(() =>
      api.createCampaign(createBody(sales, parsed.config, undefined, h.a.siteId)),
    ).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect((json as ApiError).status).toBe(400)
    expect((json as ApiError).fieldProblems.every((p) => p.path.startsWith('config'))).toBe(true)
  })

  it('moderates a held comment: listed as text, approved, deleted; another site’s admin neither sees nor changes it', async () => {
    const { api, as } = await signedIn(h.a)
    const config = {
      ...engagementAdmin.defaultConfig(),
      engagementTypes: ['comment'],
      comments: { maxLength: 500, showRecent: 5, moderation: 'pre' },
    }
    const form = {
      ...emptyForm('engagement', config, false),
      name: 'Held comments',
      placements: 'article-end',
    }
    form.variants[0]!.creative.headline = 'Tell us'
    const campaign = await as(() => api.createCampaign(createBody(form, config, 'inline', h.a.siteId)))
    await as(() => api.transition(campaign.id, 'activate'))
    const markup = '<img src=x onerror=alert(1)> nice'
    const sent = await act(h.app, {
      site: h.a.publishableKey,
      campaignId: campaign.id,
      anonymousId: 'admin-test-visitor',
      action: 'comment',
      text: markup,
      name: 'Ada',
    })
    expect([200, 201]).toContain(sent.status)
    expect(sent.headers.get('content-type')).toContain('json')

    const pending = await as(() =>
      commentsApi(api).listComments({ siteId: h.a.siteId, status: 'pending', campaignId: campaign.id }),
    )
    expect(pending.data).toHaveLength(1)
    const [held] = pending.data
    expect(held).toMatchObject({
      text: markup,
      name: 'Ada',
      status: 'pending',
      campaignName: 'Held comments',
    })

    // Another organization's admin: the comment is not in its list, and changing it is a 404.
    const other = await signedIn(h.b)
    const theirs = await other.as(() => commentsApi(other.api).listComments({ status: 'pending' }))
    expect(theirs.data.map((c) => c.id)).not.toContain(held!.id)
    for (const attempt of [
      (): Promise<unknown> => commentsApi(other.api).moderateComment(held!.id, 'approve'),
      () => commentsApi(other.api).moderateComment(held!.id, 'reject'),
      () => commentsApi(other.api).deleteComment(held!.id),
    ]) {
      const error = await other.as(attempt).then(
        () => undefined,
        (caught: unknown) => caught,
      )
      expect((error as ApiError).status).toBe(404)
    }

    const approved = await as(() => commentsApi(api).moderateComment(held!.id, 'approve'))
    expect(approved).toMatchObject({ id: held!.id, status: 'published', text: markup })
    const published = await as(() =>
      commentsApi(api).listComments({ siteId: h.a.siteId, status: 'published', campaignId: campaign.id }),
    )
    expect(published.data.map((c) => c.id)).toEqual([held!.id])

    await as(() => commentsApi(api).deleteComment(held!.id))
    for (const status of ['pending', 'published', 'rejected'] as const) {
      const left = await as(() =>
        commentsApi(api).listComments({ siteId: h.a.siteId, status, campaignId: campaign.id }),
      )
      expect(left.data).toEqual([])
    }
  })
})
