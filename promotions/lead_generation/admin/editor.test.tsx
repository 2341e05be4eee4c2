// @vitest-environment happy-dom

import { useState } from 'preact/hooks'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Config } from '../../../admin/promotion-type'
import { renderInto, settle } from '../../../admin/testing/render'
import type { Decision } from '../../../schema/serve'
import { leadGenerationConfig } from '../config'
import { publicLeadConfig } from '../public-config'
import { LeadFormFields, nameFrom, optionsFrom, optionsText, withDefaults } from './editor'
import { leadGenerationAdmin } from './index'
import { LeadGenerationPreview } from './preview'

const el = <T extends Element = HTMLInputElement>(container: HTMLElement, selector: string): T => {
  const found = container.querySelector<T>(selector)
  if (!found) throw new Error(`nothing at ${selector}`)
  return found
}
function type(container: HTMLElement, id: string, value: string) {
  const input = el<HTMLInputElement | HTMLTextAreaElement>(container, `#${id}`)
  act(() => {
    input.value = value
    input.dispatchEvent(new Event('input', { bubbles: true }))
  })
}
function choose(container: HTMLElement, id: string, value: string) {
  const select = el<HTMLSelectElement>(container, `#${id}`)
  act(() => {
    select.value = value
    select.dispatchEvent(new Event('change', { bubbles: true }))
  })
}
function tick(container: HTMLElement, id: string, checked: boolean) {
  const box = el(container, `#${id}`)
  act(() => {
    box.checked = checked
    box.dispatchEvent(new Event('change', { bubbles: true }))
  })
}
function click(container: HTMLElement, text: string | RegExp) {
  const button = [...container.querySelectorAll('button')].find((b) =>
    typeof text === 'string' ? b.textContent === text : text.test(b.textContent ?? ''),
  )
  if (!button) throw new Error(`no button “${text}”`)
  act(() => button.click())
}

/** The editor as the campaign editor holds it: the config in state, errors as given. */
function mountEditor(start: Config, errors: ReadonlyMap<string, string> = new Map()) {
  let current = start
  function Host() {
    const [config, setConfig] = useState(start)
    current = config
    return (
      <LeadFormFields
        config={config}
        errors={errors}
        onChange={(next) => {
          current = next
          setConfig(next)
        }}
      />
    )
  }
  const view = renderInto(<Host />)
  unmount = view.unmount
  return { container: view.container, config: () => current }
}

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

describe('lead form editor', () => {
  it('starts from a config the schema takes as it is', () => {
    expect(leadGenerationConfig.safeParse(leadGenerationAdmin.defaultConfig()).success).toBe(true)
  })

  it('fills the defaults the schema fills, for the preview, without the schema', () => {
    const configs: Config[] = [
      {},
      { fields: [{ name: 'email', type: 'email', label: 'Email', required: true }] },
      {
        display: 'popup',
        trigger: { on: 'exit' },
        fields: [
          { name: 'email', type: 'email', label: 'Email', required: true },
          { name: 'size', type: 'select', label: 'Size', options: [{ value: 's', label: 'Small' }], step: 1 },
          { name: 'news', type: 'checkbox', label: 'News' },
          { name: 'ok', type: 'consent', label: 'I agree', required: true },
          { name: 'phone', type: 'phone', label: 'Phone', pattern: '^[0-9 +]+$', maxLength: 30 },
        ],
        stepTitles: ['You', 'Your company'],
        offer: { type: 'ebook', title: 'Guide', assetUrl: 'https://cdn.example/guide.pdf' },
        texts: { next: 'Weiter' },
        scoring: { rules: [{ field: 'size', when: 'filled', points: 5 }], grades: { a: 90, b: 50, c: 10 } },
        captcha: true,
        captchaSiteKey: '0x4AAA',
      },
    ]
    for (const config of configs) expect(withDefaults(config)).toEqual(leadGenerationConfig.parse(config))
  })

  it('makes field names the schema takes from labels, and reads options one per line', () => {
    expect(nameFrom('Company size', [])).toBe('company_size')
    expect(nameFrom('Company size', ['company_size'])).toBe('company_size_2')
    expect(nameFrom('123', [])).toBe('field')
    expect(optionsFrom('Small\n m | Medium \n\n')).toEqual([
      { value: 'Small', label: 'Small' },
      { value: 'm', label: 'Medium' },
    ])
    expect(optionsText(optionsFrom('Small\nm | Medium'))).toBe('Small\nm | Medium')
  })

  it('builds a two-step popup form with a choice, consent, an offer and scoring that the API takes', () => {
    const { container: c, config } = mountEditor(leadGenerationAdmin.defaultConfig())
    choose(c, 'field-config-display', 'popup')
    choose(c, 'lead-add-type', 'text')
    click(c, 'Add field')
    type(c, 'field-config-fields-1-label', 'Company')
    type(c, 'field-config-fields-1-name', 'company')
    tick(c, 'field-config-fields-1-required', true)
    choose(c, 'lead-add-type', 'select')
    click(c, 'Add field')
    type(c, 'field-config-fields-2-label', 'Team size')
    type(c, 'field-config-fields-2-name', 'size')
    type(c, 'field-config-fields-2-options', '1-10\n11-50\nbig | More than 50')
    type(c, 'field-config-fields-2-step', '2')
    type(c, 'field-config-stepTitles', 'About you\nAbout your team')
    choose(c, 'lead-add-type', 'consent')
    click(c, 'Add field')
    type(c, 'field-config-successMessage', 'Check your inbox')
    tick(c, 'field-config-offer', true)
    choose(c, 'field-config-offer-type', 'webinar')
    type(c, 'field-config-offer-title', 'Spring webinar')
    click(c, 'Add scoring rule')
    choose(c, 'field-config-scoring-rules-0-field', 'size')
    choose(c, 'field-config-scoring-rules-0-when', 'equals')
    type(c, 'field-config-scoring-rules-0-values', 'big, 11-50')
    type(c, 'field-config-scoring-rules-0-points', '30')

    const built = config()
    const parsed = leadGenerationConfig.safeParse(built)
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true)
    expect(built.display).toBe('popup')
    expect(built.fields).toEqual([
      { name: 'email', type: 'email', label: 'Email', required: true },
      { name: 'company', type: 'text', label: 'Company', required: true },
      {
        name: 'size',
        type: 'select',
        label: 'Team size',
        required: false,
        step: 1,
        options: [
          { value: '1-10', label: '1-10' },
          { value: '11-50', label: '11-50' },
          { value: 'big', label: 'More than 50' },
        ],
      },
      {
        name: 'i_agree_to_be_contacted',
        type: 'consent',
        label: 'I agree to be contacted',
        required: false,
      },
    ])
    expect(built.stepTitles).toEqual(['About you', 'About your team'])
    expect(built.offer).toEqual({ type: 'webinar', title: 'Spring webinar' })
    expect((built.scoring as Config).rules).toEqual([
      { field: 'size', when: 'equals', values: ['big', '11-50'], points: 30 },
    ])
  })

  it('moves and removes fields, never the last one', () => {
    const { container: c, config } = mountEditor({
      fields: [
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'company', type: 'text', label: 'Company' },
      ],
    })
    click(c, /^Move up Company$/)
    expect((config().fields as Config[]).map((f) => f.name)).toEqual(['company', 'email'])
    click(c, /^Remove Company$/)
    expect((config().fields as Config[]).map((f) => f.name)).toEqual(['email'])
    const remove = [...c.querySelectorAll('button')].find((b) => b.textContent === 'Remove Email')
    expect(remove?.disabled).toBe(true)
  })

  it('shows the API’s errors at the field they name, and markup in labels as text', () => {
    const errors = new Map([
      ['config.fields.1.name', 'duplicate field name'],
      ['config.fields', 'leads are deduplicated by email: add a required email field named email'],
    ])
    const { container: c } = mountEditor(
      {
        fields: [
          { name: 'email', type: 'email', label: '<img src=x onerror=alert(1)>' },
          { name: 'email', type: 'text', label: 'Other' },
        ],
      },
      errors,
    )
    const name = el(c, '#field-config-fields-1-name')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    expect(c.querySelector(`#${name.getAttribute('aria-describedby')?.split(' ').at(-1)}`)?.textContent).toBe(
      'duplicate field name',
    )
    expect(c.textContent).toContain('add a required email field named email')
    expect(c.querySelector('img')).toBeNull()
    expect(c.textContent).toContain('<img src=x onerror=alert(1)>')
  })
})

describe('lead form preview', () => {
  it('draws the form widget from the edited config as the API would serve it, sending nothing', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const config = {
      display: 'inline',
      fields: [
        { name: 'email', type: 'email', label: 'Work email', required: true },
        { name: 'company', type: 'text', label: 'Company' },
      ],
      submitButtonText: 'Get the guide',
      scoring: { rules: [{ field: 'company', when: 'filled', points: 10 }] },
      offer: { type: 'ebook', assetUrl: 'https://cdn.example/secret.pdf' },
    }
    const decision: Decision = {
      slot: 'home-hero',
      campaignId: 'c1',
      variantId: 'v1',
      type: 'lead_generation' as Decision['type'],
      format: 'inline',
      creative: { headline: 'Our guide' },
      config,
      token: 'preview',
    }
    // What the preview hands the widget is what serve would: no scoring, no asset address.
    const served = publicLeadConfig(withDefaults(config))
    expect(served.scoring).toBeUndefined()
    expect(served.offer).toEqual({ type: 'ebook', gated: true })
    const view = renderInto(<LeadGenerationPreview decision={decision} />)
    unmount = view.unmount
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 200))
    })
    await vi.waitFor(async () => {
      await settle(1)
      const shadow = view.container.querySelector('.preview-slot .preview-host')?.shadowRoot
      expect(shadow?.textContent).toContain('Work email')
    })
    const shadow = view.container.querySelector('.preview-slot .preview-host')?.shadowRoot
    expect(shadow?.textContent).toContain('Get the guide')
    expect(shadow?.textContent).toContain('Company')
    expect(fetch).not.toHaveBeenCalled()
  })
})
