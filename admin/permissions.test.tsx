// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Role } from '../schema/roles'
import type { Campaign } from './api'
import { CampaignEditorPage } from './pages/campaign-editor'
import { SitesPage } from './pages/sites'
import { ReadOnlyNote, RoleProvider } from './permissions'
import { adminTypes } from './promotions'
import { testCampaign } from './testing/campaign'
import { json, renderInto, settle } from './testing/render'
import { testSite } from './testing/site'

// The preview has its own test; here it would only add the SDK widget to a test about what a role is offered.
vi.mock('./preview', () => ({ Preview: () => null }))

const site = testSite({ id: 's1', name: 'Shop', publishableKey: 'pk_live_abc', allowedOrigins: [] })

const campaign = testCampaign()

let unmount = () => {}
afterEach(() => {
  unmount()
  vi.unstubAllGlobals()
})

async function editorAs(role: Role, shown = campaign) {
  const fetch = vi.fn(async (url: string, _init?: RequestInit) =>
    url.endsWith('/campaigns/c1') ? json(200, shown) : json(200, { data: [], nextCursor: null }),
  )
  vi.stubGlobal('fetch', fetch)
  const view = renderInto(
    <RoleProvider value={role}>
      <CampaignEditorPage id="c1" site={site} sites={[site]} />
    </RoleProvider>,
  )
  unmount = view.unmount
  await settle()
  return { container: view.container, fetch }
}

/** Whether a control can be used: not disabled itself, nor inside a disabled fieldset (outside its legend). */
function operable(control: HTMLElement): boolean {
  if ((control as HTMLInputElement).disabled) return false
  for (
    let fieldset = control.closest('fieldset');
    fieldset;
    fieldset = fieldset.parentElement!.closest('fieldset')
  ) {
    const legend = fieldset.querySelector(':scope > legend')
    if ((fieldset as HTMLFieldSetElement).disabled && !legend?.contains(control)) return false
  }
  return true
}

/** The controls a member could change something with, named by their label, id or text. */
const changeable = (container: HTMLElement) =>
  [
    ...container.querySelectorAll<HTMLElement>(
      'input:not([type="hidden"]), select, textarea, button, [contenteditable="true"]',
    ),
  ]
    .filter(operable)
    .map(
      (control) =>
        control.id || control.getAttribute('aria-label') || control.textContent?.trim() || control.tagName,
    )

const buttons = (container: HTMLElement) =>
  [...container.querySelectorAll<HTMLButtonElement>('button')].map((button) => button.textContent?.trim())

describe('what a member is offered, by role', () => {
  it("shows a viewer a campaign's settings and every variant, with nothing to change them by", async () => {
    const { container, fetch } = await editorAs('viewer')
    const name = container.querySelector<HTMLInputElement>('#field-name')!
    expect(name.value).toBe('Spring')
    expect(name.closest('fieldset')?.disabled).toBe(true)
    const headline = container.querySelector<HTMLInputElement>('#field-variants-0-creative-headline')!
    expect(headline.closest('fieldset')?.disabled).toBe(true)
    // No save, no status change, no new or removed variant; the note says why, in the API's words.
    // (Tracing a visit is a read, and stays.)
    expect(buttons(container)).not.toContain('Save changes')
    expect(buttons(container)).toContain('Trace a visit')
    expect(container.querySelector('[data-action]')).toBeNull()
    expect(buttons(container)).not.toContain('Add variant')
    expect(container.textContent).toContain(
      'Your role (viewer) can read this but not change campaigns, audiences or content',
    )
    // Reading variant B is reading: its chip still works.
    const chipB = [...container.querySelectorAll<HTMLButtonElement>('.variant-picker button')].find((chip) =>
      chip.textContent?.includes('B'),
    )!
    expect(chipB.disabled).toBe(false)
    chipB.click()
    await settle()
    expect(container.querySelector<HTMLInputElement>('#field-variants-1-creative-headline')?.value).toBe(
      'Hello spring',
    )
    expect(fetch.mock.calls.every(([, init]) => !init?.method || init.method === 'GET')).toBe(true)
  })

  it('offers an editor the same campaign to change', async () => {
    const { container } = await editorAs('editor')
    expect(container.querySelector<HTMLInputElement>('#field-name')?.closest('fieldset')?.disabled).toBe(
      false,
    )
    expect(container.querySelector('button[type="submit"]')?.textContent).toBe('Save changes')
    expect(container.querySelector('[data-action="activate"]')).not.toBeNull()
    expect(buttons(container)).toContain('Add variant')
    expect(container.querySelector('.read-only-note')).toBeNull()
  })

  it('keeps sites to owners and admins: an editor sees the list, not the form that adds one', () => {
    const as = (role: Role) => {
      unmount()
      const view = renderInto(
        <RoleProvider value={role}>
          <SitesPage sites={[site]} onSitesChange={() => {}} />
        </RoleProvider>,
      )
      unmount = view.unmount
      return view.container
    }
    const editor = as('editor')
    expect(editor.textContent).toContain('Shop')
    expect(editor.querySelector<HTMLFormElement>('form[aria-labelledby="new-site-title"]')?.hidden).toBe(true)
    expect(editor.querySelector('.read-only-note')?.textContent).toContain(
      'Your role (editor) can read this but not change sites, their settings or keys',
    )
    const admin = as('admin')
    expect(admin.querySelector<HTMLFormElement>('form[aria-labelledby="new-site-title"]')?.hidden).toBe(false)
    expect(admin.querySelector('.read-only-note')).toBeNull()
  })

  it('says nothing where the role allows, and everything is offered outside a provider', () => {
    const view = renderInto(
      <>
        <ReadOnlyNote capability="write" />
        <RoleProvider value="editor">
          <ReadOnlyNote capability="write" />
        </RoleProvider>
      </>,
    )
    unmount = view.unmount
    expect(view.container.textContent).toBe('')
  })

  describe.each(Object.entries(adminTypes))('a viewer on a %s campaign', (type, admin) => {
    it('is offered nothing that changes it: every field of its config editor is read-only', async () => {
      const shown = testCampaign({
        type: type as Campaign['type'],
        config: admin.defaultConfig() as Campaign['config'],
      })
      const { container, fetch } = await editorAs('viewer', shown)
      // Reading stays: switching variants, tracing a visit (its URL and button), a new preview visitor.
      const reads = (name: string) =>
        ['Trace a visit', 'trace-url', 'New preview visitor'].includes(name) || /^[AB]\b/.test(name)
      expect(changeable(container).filter((name) => !reads(name))).toEqual([])
      expect(fetch.mock.calls.every(([, init]) => !init?.method || init.method === 'GET')).toBe(true)
      // The same editor offers an owner its fields, so the check above is not empty by construction.
      unmount()
      const owner = await editorAs('owner', shown)
      expect(changeable(owner.container).length).toBeGreaterThan(changeable(container).length + 3)
    })
  })
})
