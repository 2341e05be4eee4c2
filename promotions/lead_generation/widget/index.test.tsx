// @vitest-environment happy-dom
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { leadGenerationConfig } from '../config'
import { leadGeneration } from '../server/index'
import { mount } from './index'
import type { LeadBody } from './send'

const campaignId = '0190a0a0-0000-7000-8000-000000000011'
const variantId = '0190a0a0-0000-7000-8000-000000000012'
const consentText = 'I agree that Northwind may email me about its products.'

/** Two steps: who you are, then what you need and your consent. */
const twoSteps = {
  fields: [
    { name: 'email', type: 'email', label: 'Work email', required: true },
    { name: 'name', type: 'text', label: 'Your name' },
    { name: 'phone', type: 'phone', label: 'Phone', step: 1 },
    {
      name: 'team',
      type: 'select',
      label: 'Team size',
      required: true,
      step: 1,
      options: [
        { value: 'small', label: '1 to 10' },
        { value: 'large', label: 'More than 10' },
      ],
    },
    { name: 'gdpr', type: 'consent', label: consentText, required: true, step: 1 },
  ],
  stepTitles: ['About you', 'Your team'],
  submitButtonText: 'Get the guide',
  successMessage: 'Check your inbox.',
}

/** A decision as the serve answer carries it: the config saved through its schema, defaults filled in. */
function decision(
  config: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
  page = false,
) {
  const { successMessage, ...rest } = config
  const saved: Record<string, unknown> = leadGenerationConfig.parse(rest)
  if (successMessage !== undefined) saved.successMessage = successMessage
  return {
    campaignId,
    variantId,
    type: 'lead_generation',
    format: page ? String(saved.display) : 'inline',
    ...(page ? {} : { slot: 'article-inline' }),
    creative: { headline: 'The winter layering guide', body: 'Twelve pages, free.' },
    // As the serve answer carries it: fields in step order with their autofill hints, the form's words.
    config: { ...leadGeneration.publicConfig!(saved), ...overrides },
  } as Decision
}

// The checks chunk (zod) is imported once a visitor starts; loaded here first so each test's waits stay short.
beforeAll(() => import('./checks'))

const sent: LeadBody[] = []
let answer: () => Response
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })

beforeEach(() => {
  sent.length = 0
  answer = () => json(201, { leadId: 'lead-1', status: 'created' })
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      expect(url).toBe('https://api.promo.test/api/v1/leads')
      sent.push(JSON.parse(String(init.body)))
      return answer()
    }),
  )
})

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
  document.body.innerHTML = ''
  vi.unstubAllGlobals()
  delete (window as { turnstile?: unknown }).turnstile
})

function draw(unit: Decision, ctx: Partial<Pick<FormatContext, 'preview' | 'sender'>> = {}) {
  const host = document.createElement('promo-unit')
  document.body.appendChild(host)
  // What the loader does: a part in view by the MRC rule calls back (`viewable()`), and the page going away
  // (`leave()`) tells the unit's listener before the queue leaves by beacon.
  const watching: (() => void)[] = []
  let leaving = () => {}
  const context = {
    watch: vi.fn((_element: Element, onViewable: () => void) => {
      watching.push(onViewable)
      return () => watching.splice(watching.indexOf(onViewable), 1)
    }),
    onLeave: (listener: () => void) => {
      leaving = listener
    },
    onClick: vi.fn(),
    onClose: vi.fn(),
    track: vi.fn(),
    report: vi.fn(),
    submitted: vi.fn(),
    sender: () => ({ api: 'https://api.promo.test', site: 'pk_test_lead', anonymousId: 'anon-7' }),
    ...ctx,
  }
  const unmount = mount(host, unit, context)
  let mounted = true
  const remove = () => {
    if (mounted) unmount()
    mounted = false
  }
  cleanups.push(() => {
    remove()
    host.remove()
  })
  const root = host.shadowRoot!
  const $ = <E extends Element = HTMLInputElement>(selector: string) => root.querySelector<E>(selector)!
  const viewable = () => {
    for (const onViewable of [...watching]) onViewable()
  }
  return { host, root, context, remove, $, viewable, leave: () => leaving() }
}

/** Lets Preact apply state updates and run effects, and a fetch answer arrive. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 30))

function type(input: HTMLInputElement | HTMLSelectElement, value: string) {
  input.focus()
  input.value = value
  input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }))
}
function tick(box: HTMLInputElement) {
  box.checked = !box.checked
  box.dispatchEvent(new Event('change', { bubbles: true }))
}
/** Submits once what was typed is rendered, as it is by the time a visitor can press Enter, then settles. */
async function submit(root: ShadowRoot) {
  await settle()
  root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))
  await settle()
}
const names = (track: ReturnType<typeof vi.fn>) => track.mock.calls.map(([name]) => name)

/** Fills both steps validly and submits. */
async function fillAndSubmit({ root, $ }: ReturnType<typeof draw>) {
  type($('#f-email'), '  Ada@Example.COM ')
  type($('#f-name'), 'Ada')
  await submit(root)
  type($<HTMLSelectElement>('#f-team'), 'small')
  tick($('#f-gdpr'))
  await submit(root)
}

describe('lead form fields', () => {
  it('renders each field with its label, type, autofill hint and error line inside the shadow root', () => {
    const { host, root, $ } = draw(decision(twoSteps))
    expect(host.innerHTML).toBe('')
    expect(root.adoptedStyleSheets).toHaveLength(1)
    expect(root.querySelector('style')).toBeNull()
    expect($('.headline').textContent).toBe('The winter layering guide')
    expect(root.querySelector(`label[for="f-email"]`)!.textContent).toBe('Work email *')
    const email = $('#f-email')
    expect([email.type, email.autocomplete, email.required]).toEqual(['email', 'email', true])
    expect(email.getAttribute('aria-describedby')).toBe('e-email')
    expect(root.getElementById('e-email')!.textContent).toBe('')
    expect([$('#f-name').type, $('#f-name').autocomplete, $('#f-name').required]).toEqual([
      'text',
      'name',
      false,
    ])
    // Later steps wait for Next.
    expect(root.querySelector('#f-phone')).toBeNull()
    expect(root.querySelector('form p')!.textContent).toBe('Step 1 of 2')
    expect($('legend').textContent).toBe('About you')
    expect($('button[type=submit]').textContent).toBe('Next')
  })

  it('shows phone, select and consent fields, the consent never ticked in advance', async () => {
    const { root, $ } = draw(
      decision({ ...twoSteps, fields: twoSteps.fields.map((f) => ({ ...f, step: 0 })) }),
    )
    expect([$('#f-phone').type, $('#f-phone').autocomplete]).toEqual(['tel', 'tel'])
    const options = [...$<HTMLSelectElement>('#f-team').options].map((o) => [o.value, o.textContent])
    expect(options).toEqual([
      ['', 'Choose…'],
      ['small', '1 to 10'],
      ['large', 'More than 10'],
    ])
    const consent = $('#f-gdpr')
    expect([consent.type, consent.checked]).toEqual(['checkbox', false])
    expect(root.querySelector('label[for="f-gdpr"]')!.textContent).toBe(`${consentText} *`)
    expect(root.querySelector('form p')).toBe(root.querySelector('form p.error'))
  })

  it('has a honeypot off screen, out of the tab order and hidden from assistive technology', () => {
    const { root } = draw(decision(twoSteps))
    const trap = root.querySelector<HTMLInputElement>('input[name="website"]')!
    expect(trap.value).toBe('')
    expect(trap.tabIndex).toBe(-1)
    expect(trap.getAttribute('autocomplete')).toBe('off')
    expect(trap.closest('[aria-hidden="true"]')?.className).toBe('hp')
    expect(root.querySelector('label[for="website"]')).toBeNull()
  })
})

describe('lead form steps', () => {
  it('stays on a step whose fields are invalid, with the schema messages, and moves on once they are fixed', async () => {
    const { root, $ } = draw(decision(twoSteps))
    await submit(root)
    expect(root.querySelector('form p')!.textContent).toBe('Step 1 of 2')
    expect($('#f-email').getAttribute('aria-invalid')).toBe('true')
    expect(root.getElementById('e-email')!.textContent).toBe('required')
    expect(root.activeElement).toBe($('#f-email'))

    type($('#f-email'), 'not-an-email')
    await submit(root)
    expect(root.getElementById('e-email')!.textContent).toBe('must be an email address')

    type($('#f-email'), 'ada@example.com')
    await settle()
    expect($('#f-email').hasAttribute('aria-invalid')).toBe(false)
    await submit(root)
    expect(root.querySelector('form p')!.textContent).toBe('Step 2 of 2')
    expect($('legend').textContent).toBe('Your team')
    expect(root.activeElement).toBe($('#f-phone'))
    expect($('button[type=submit]').textContent).toBe('Get the guide')
    expect(sent).toEqual([])

    $<HTMLButtonElement>('button.back').click()
    await settle()
    expect($('#f-email').value).toBe('ada@example.com')
  })

  it('never compiles code with Function: zod/mini parses without the jit that a strict CSP refuses', async () => {
    const unit = decision(twoSteps)
    const compiled = vi.fn()
    vi.stubGlobal(
      'Function',
      new Proxy(Function, {
        construct(target, args) {
          compiled(args)
          return Reflect.construct(target, args)
        },
      }),
    )
    const { root, $ } = draw(unit)
    await submit(root)
    type($('#f-email'), 'ada@example.com')
    await submit(root)
    expect(root.querySelector('form p')!.textContent).toBe('Step 2 of 2')
    expect(compiled).not.toHaveBeenCalled()
  })

  it('checks the last step before sending: a required consent must be ticked', async () => {
    const { root, $ } = draw(decision(twoSteps))
    type($('#f-email'), 'ada@example.com')
    await submit(root)
    type($<HTMLSelectElement>('#f-team'), 'large')
    await submit(root)
    expect(root.getElementById('e-gdpr')!.textContent).toBe('consent is required')
    expect(sent).toEqual([])
  })
})

describe('lead form submit', () => {
  it('sends the checked values, the consent with its label text, an empty honeypot, the context and the visitor token', async () => {
    const drawn = draw({ ...decision(twoSteps), visitorToken: 'tok-anon-7' })
    await fillAndSubmit(drawn)
    expect(sent).toHaveLength(1)
    const body = sent[0]!
    expect(body).toMatchObject({
      site: 'pk_test_lead',
      campaignId,
      variantId,
      anonymousId: 'anon-7',
      visitorToken: 'tok-anon-7',
      fields: { email: 'ada@example.com', name: 'Ada', team: 'small', gdpr: true },
      consent: { granted: true, text: consentText },
      hp: '',
      context: { url: location.href, referrer: document.referrer },
    })
    expect(body.elapsedMs).toBeGreaterThanOrEqual(0)
    expect(body).not.toHaveProperty('captchaToken')
    expect(drawn.$('.done p').textContent).toBe('Check your inbox.')
    expect(drawn.root.querySelector('form')).toBeNull()
  })

  it('shows the success message as text, even with markup in the config', async () => {
    const drawn = draw(
      decision({ ...twoSteps, successMessage: '<b>Thanks</b> <img src=x onerror=alert(1)>' }),
    )
    await fillAndSubmit(drawn)
    const done = drawn.$('.done')
    expect(done.textContent).toBe('<b>Thanks</b> <img src=x onerror=alert(1)>')
    expect(done.querySelector('b, img')).toBeNull()
    expect(drawn.root.activeElement).toBe(done)
  })

  it('offers the download the API answered with, as a new-tab link without an opener, and only over http(s)', async () => {
    answer = () =>
      json(201, { leadId: 'l', status: 'created', download: { url: 'https://cdn.test/guide.pdf?sig=1' } })
    const drawn = draw(decision({ ...twoSteps, offer: { type: 'ebook', title: 'the guide' } }))
    await fillAndSubmit(drawn)
    const link = drawn.$<HTMLAnchorElement>('.done a')
    expect([link.href, link.rel, link.target, link.textContent]).toEqual([
      'https://cdn.test/guide.pdf?sig=1',
      'noopener',
      '_blank',
      'Download the guide',
    ])

    answer = () => json(201, { leadId: 'l', status: 'created', download: { url: 'javascript:alert(1)' } })
    const unsafe = draw(decision(twoSteps))
    await fillAndSubmit(unsafe)
    expect(unsafe.root.querySelector('.done a')).toBeNull()
  })

  it('puts the messages of a 400 answer under their fields, going back to the step they are on', async () => {
    answer = () =>
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'fields.email: this address does not take mail',
          details: [
            { path: 'fields.email', message: 'this address does not take mail' },
            { path: 'fields.team', message: 'choose one of the options' },
          ],
        },
      })
    const drawn = draw(decision(twoSteps))
    await fillAndSubmit(drawn)
    const { root, $ } = drawn
    expect(root.querySelector('form p')!.textContent).toBe('Step 1 of 2')
    expect(root.getElementById('e-email')!.textContent).toBe('this address does not take mail')
    expect($('#f-email').getAttribute('aria-invalid')).toBe('true')
    expect(root.activeElement).toBe($('#f-email'))
    await submit(root)
    expect(root.getElementById('e-team')!.textContent).toBe('choose one of the options')
  })

  it("shows the API's own message for a refusal that names no field, such as a missing captcha", async () => {
    answer = () => json(403, { error: { code: 'forbidden', message: 'Please confirm you are not a robot.' } })
    const drawn = draw(decision({ ...twoSteps, captcha: true, captchaSiteKey: '0x4AAA' }))
    await fillAndSubmit(drawn)
    expect(drawn.$('p.error[role=alert]').textContent).toBe('Please confirm you are not a robot.')
  })

  it('asks to try again after a 429, a 5xx or a network failure, and sends again when asked', async () => {
    const drawn = draw(decision(twoSteps))
    answer = () => json(429, { error: { code: 'rate_limited', message: 'slow down' } })
    await fillAndSubmit(drawn)
    const alert = () => drawn.$('p.error[role=alert]').textContent
    expect(alert()).toMatch(/try again/)
    answer = () => new Response('oops', { status: 502 })
    await submit(drawn.root)
    expect(alert()).toMatch(/try again/)
    answer = () => {
      throw new TypeError('Failed to fetch')
    }
    await submit(drawn.root)
    expect(alert()).toMatch(/try again/)
    answer = () => json(201, { leadId: 'l', status: 'updated' })
    await submit(drawn.root)
    expect(sent).toHaveLength(4)
    expect(drawn.$('.done p').textContent).toBe('Check your inbox.')
    expect(drawn.context.report).not.toHaveBeenCalled()
  })

  it('reports what goes wrong to the error listener instead of throwing', async () => {
    const drawn = draw(decision(twoSteps), {
      sender: () => {
        throw new Error('no identity')
      },
    })
    await expect(fillAndSubmit(drawn)).resolves.toBeUndefined()
    expect(drawn.context.report).toHaveBeenCalledWith(new Error('no identity'))
    expect(drawn.$('p.error[role=alert]').textContent).toMatch(/try again/)
  })

  it("tells the page's submit listeners once the API took the lead, and only then", async () => {
    const drawn = draw(decision(twoSteps))
    answer = () =>
      json(400, {
        error: { code: 'invalid', message: 'x', details: [{ path: 'fields.email', message: 'taken' }] },
      })
    await fillAndSubmit(drawn)
    expect(drawn.context.submitted).not.toHaveBeenCalled()
    answer = () => json(201, { leadId: 'lead-1', status: 'created' })
    type(drawn.$('#f-email'), 'other@example.com')
    await submit(drawn.root)
    await submit(drawn.root)
    expect(drawn.context.submitted).toHaveBeenCalledTimes(1)
  })

  it('links the lead to no visitor when consent keeps the SDK from holding ids', async () => {
    const drawn = draw(decision(twoSteps), {
      sender: () => ({ api: 'https://api.promo.test', site: 'pk_x' }),
    })
    await fillAndSubmit(drawn)
    expect(sent[0]).toMatchObject({ site: 'pk_x', anonymousId: 'anonymous' })
  })

  it('sends nothing in the admin preview, and shows what follows a submit', async () => {
    const drawn = draw(decision(twoSteps), { preview: true })
    await fillAndSubmit(drawn)
    expect(sent).toEqual([])
    expect(drawn.$('.done p').textContent).toBe('Check your inbox.')
  })

  it('goes to the redirect URL after a submit when there is no download', async () => {
    const assign = vi.spyOn(location, 'assign').mockImplementation(() => {})
    const drawn = draw(decision({ ...twoSteps, redirectUrl: 'https://shop.example/thanks' }))
    await fillAndSubmit(drawn)
    expect(assign).toHaveBeenCalledWith('https://shop.example/thanks')
    assign.mockRestore()
  })
})

describe('lead form captcha', () => {
  function fakeTurnstile() {
    const turnstile = {
      render: vi.fn((_box: HTMLElement, options: { callback(token: string): void }) => {
        options.callback('token-1')
        return 'widget-1'
      }),
      reset: vi.fn(),
      remove: vi.fn(),
    }
    Object.assign(window, { turnstile })
    return turnstile
  }

  it("renders the site's Turnstile widget into the page's DOM, shown through a slot, and sends its token", async () => {
    const turnstile = fakeTurnstile()
    const drawn = draw(decision({ ...twoSteps, captcha: true, captchaSiteKey: '0x4AAA' }))
    await settle()
    const box = turnstile.render.mock.calls[0]![0]
    expect(box.parentElement).toBe(drawn.host)
    expect(box.slot).toBe('captcha')
    expect(drawn.root.querySelector('slot[name="captcha"]')).not.toBeNull()
    expect(turnstile.render.mock.calls[0]![1]).toMatchObject({ sitekey: '0x4AAA' })
    expect(turnstile.reset).not.toHaveBeenCalled()
    // A token is good for one submit: after a refused one the widget starts again for the next.
    answer = () => json(503, { error: { code: 'unavailable', message: 'try later' } })
    await fillAndSubmit(drawn)
    expect(sent[0]!.captchaToken).toBe('token-1')
    await vi.waitFor(() => expect(turnstile.reset).toHaveBeenCalledWith('widget-1'))
    drawn.remove()
    await vi.waitFor(() => expect(turnstile.remove).toHaveBeenCalledWith('widget-1'))
    expect(drawn.host.children).toHaveLength(0)
  })

  it('submits without a token when the page has no Turnstile', async () => {
    const drawn = draw(decision({ ...twoSteps, captcha: true, captchaSiteKey: '0x4AAA' }))
    expect(drawn.root.querySelector('.captcha')).toBeNull()
    await fillAndSubmit(drawn)
    expect(sent[0]).not.toHaveProperty('captchaToken')
  })
})

describe('lead form events', () => {
  it("sends form_view once an inline form is viewable by the loader's rule, form_start at the first input, each once", async () => {
    const { $, root, context, viewable } = draw(decision(twoSteps))
    await settle()
    expect(context.watch).toHaveBeenCalledWith(root.querySelector('aside.inline'), expect.any(Function))
    expect(names(context.track)).toEqual([])
    viewable()
    viewable()
    type($('#f-email'), 'a')
    type($('#f-email'), 'ad')
    type($('#f-name'), 'Ada')
    expect(names(context.track)).toEqual(['form_view', 'form_start'])
  })

  it('sends form_abandon once, with the last field touched, when the page goes away after a start', async () => {
    const { $, context, leave } = draw(decision(twoSteps))
    await settle()
    leave()
    expect(names(context.track)).not.toContain('form_abandon')
    type($('#f-email'), 'ada@')
    $('#f-name').focus()
    $('#f-name').dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }))
    leave()
    leave()
    expect(context.track.mock.calls.filter(([name]) => name === 'form_abandon')).toEqual([
      ['form_abandon', { field: 'name' }],
    ])
  })

  it('sends no form_abandon after a submit, and none from the browser for the submit itself', async () => {
    const drawn = draw(decision(twoSteps))
    await fillAndSubmit(drawn)
    drawn.leave()
    drawn.remove()
    // Typing came before the form's viewable second: the view is counted with the start.
    expect(names(drawn.context.track)).toEqual(['form_view', 'form_start'])
  })

  it('sends nothing in the admin preview', async () => {
    const drawn = draw(decision(twoSteps, {}, true), { preview: true })
    type(drawn.$('#f-email'), 'a')
    drawn.remove()
    expect(drawn.context.track).not.toHaveBeenCalled()
  })
})

describe('lead form popup', () => {
  function openPopup(config: Record<string, unknown> = twoSteps) {
    const opener = document.createElement('button')
    document.body.appendChild(opener)
    opener.focus()
    const drawn = draw(decision({ ...config, display: 'popup' }, {}, true))
    return { ...drawn, opener, dialog: drawn.$<HTMLElement>('[role="dialog"]') }
  }

  it('is a modal dialog named by the headline that takes focus, and counts as viewed at once', () => {
    const { root, dialog, context } = openPopup()
    expect(dialog.getAttribute('aria-modal')).toBe('true')
    expect(root.getElementById(dialog.getAttribute('aria-labelledby')!)!.textContent).toBe(
      'The winter layering guide',
    )
    expect(root.activeElement).toBe(dialog)
    return settle().then(() => expect(names(context.track)).toEqual(['form_view']))
  })

  it('closes on Escape, gives focus back, and counts the started form as abandoned at its last field', async () => {
    const { root, context, opener, $ } = openPopup()
    await settle()
    type($('#f-email'), 'ada')
    $('#f-email').dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true }),
    )
    await settle()
    expect(context.onClose).toHaveBeenCalledTimes(1)
    expect(root.querySelector('[role="dialog"]')).toBeNull()
    expect(document.activeElement).toBe(opener)
    expect(names(context.track)).toEqual(['form_view', 'form_start', 'form_abandon'])
    expect(context.track).toHaveBeenLastCalledWith('form_abandon', { field: 'email' })
  })

  it('keeps Tab inside the dialog', () => {
    const { root, $ } = openPopup()
    const close = $<HTMLElement>('button.close')
    close.focus()
    close.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true, cancelable: true }),
    )
    expect(root.activeElement).toBe($('#f-email'))
  })

  it('closes on a click on the backdrop only while nothing is typed', async () => {
    const fresh = openPopup()
    fresh.$<HTMLElement>('.backdrop').click()
    await settle()
    expect(fresh.context.onClose).toHaveBeenCalledTimes(1)
    const { $, context } = openPopup()
    type($('#f-email'), 'a')
    await settle()
    $<HTMLElement>('.backdrop').click()
    await settle()
    expect(context.onClose).not.toHaveBeenCalled()
  })
})

describe('lead form slide-in', () => {
  it('is a closable panel that is not modal', async () => {
    const { root, $, context } = draw(decision({ ...twoSteps, display: 'slide_in' }, {}, true))
    expect(root.querySelector('.panel')).not.toBeNull()
    expect(root.querySelector('[role="dialog"]')).toBeNull()
    $<HTMLButtonElement>('button.close').click()
    await settle()
    expect(context.onClose).toHaveBeenCalledTimes(1)
    expect(root.querySelector('.panel')).toBeNull()
  })
})
