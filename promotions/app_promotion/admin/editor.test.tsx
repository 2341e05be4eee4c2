// @vitest-environment happy-dom
import { h } from 'preact'
import { useState } from 'preact/hooks'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Config } from '../../../admin/promotion-type'
import { renderInto } from '../../../admin/testing/render'
import { appPromotionConfig } from '../config'
import { AppPromotionFields, defaultAppPromotionConfig, withDefaults } from './editor'
import { appPromotionKpis, appPromotionSteps } from './kpis'
import { appPromotionTemplates } from './templates'

let latest: Config = {}
function Harness({ initial }: { initial: Config }) {
  const [config, setConfig] = useState(initial)
  latest = config
  return h(AppPromotionFields, {
    config,
    errors: new Map<string, string>(),
    onChange: (next: Config) => {
      latest = next
      setConfig(next)
    },
  })
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})
function draw(initial: Config) {
  const view = renderInto(h(Harness, { initial }))
  cleanups.push(view.unmount)
  return view.container
}

function type(container: HTMLElement, id: string, value: string) {
  const input = container.querySelector<HTMLInputElement>(`#${id}`)
  if (!input) throw new Error(`no field ${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}

describe('the app promotion editor', () => {
  it('builds, field by field, a config the schema accepts', () => {
    const container = draw(defaultAppPromotionConfig())
    const ids = [...container.querySelectorAll('input, select')].map((el) => el.id)
    const idOf = (path: string) => ids.find((id) => id.endsWith(path.replace(/\./g, '-')))!
    type(container, idOf('appName'), 'Shop')
    type(container, idOf('playStoreUrl'), 'https://play.google.com/store/apps/details?id=com.example.shop')
    type(container, idOf('deepLink'), 'shop://home')
    type(container, idOf('rating'), '4.5')
    const parsed = appPromotionConfig.safeParse(latest)
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
    expect(parsed.data).toMatchObject({ appName: 'Shop', rating: 4.5, deepLink: 'shop://home' })
  })

  it('leaves bad input for the schema to refuse at its path', () => {
    const container = draw({
      ...defaultAppPromotionConfig(),
      appName: 'Shop',
      appStoreUrl: 'https://apps.apple.com/app/id1',
    })
    const ids = [...container.querySelectorAll('input')].map((el) => el.id)
    type(container, ids.find((id) => id.endsWith('rating'))!, 'lots')
    type(container, ids.find((id) => id.endsWith('appName'))!, '<b>Shop</b>')
    const parsed = appPromotionConfig.safeParse(latest)
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['appName', 'rating'])
  })

  it('starts from defaults and templates the schema accepts', () => {
    for (const template of appPromotionTemplates) {
      expect(appPromotionConfig.safeParse(withDefaults(template.config)).success, template.id).toBe(true)
    }
  })
})

describe('the app promotion KPI cards', () => {
  it('shows installs, rates and the platform list from the server’s totals', () => {
    const row = {
      bannerImpressions: 200,
      viewableRate: 0.5,
      storeClicks: 10,
      clickToStoreRate: 0.05,
      qrScans: 3,
      installs: 4,
      firstOpens: 3,
      deepLinkOpens: 2,
      costPerInstall: 12.5,
      installToPurchaseRate: 0.25,
    }
    const totals = { app: { ...row, byPlatform: [{ platform: 'android', ...row }] } } as never
    const cards = appPromotionKpis(totals)
    expect(cards.map((card) => card.label)).toContain('Installs')
    expect(cards.find((card) => card.label === 'Installs')!.value).toBe('4')
    const [list] = appPromotionSteps(totals)
    expect(list!.rows[0]!.value).toBe(4)
    // Without the app's figures the cards read zero, never disappear (results-kpis: every type shows its own).
    expect(appPromotionKpis({} as never).map((kpi) => kpi.value)[0]).toBe('0')
  })
})
