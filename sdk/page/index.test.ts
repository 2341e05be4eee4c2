// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { handoffKey, noteClick } from './handoff'
import { createPage } from './index'

const ids = {
  campaignId: '0190a0a0-0000-7000-8000-000000000041',
  variantId: '0190a0a0-0000-7000-8000-000000000042',
}

/** A page runtime whose visit chunk arrives only when the test says so. */
function page() {
  const sent: string[] = []
  let arrive = () => {}
  const load = vi.fn(async (_name: string) => undefined)
  const loadVisit = vi.fn(async () => {
    await new Promise<void>((resolve) => {
      arrive = resolve
    })
    return import('./visit')
  })
  const context = {
    storage: () => localStorage,
    canStore: () => true,
    send: (name: string) => void sent.push(name),
    onTrack: () => () => {},
  }
  const runtime = createPage(context, load, loadVisit)
  return { runtime, sent, loadVisit, context, arrive: () => arrive() }
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 10))

beforeEach(() => {
  localStorage.clear()
  history.replaceState(null, '', '/guides/boots')
})
afterEach(() => vi.restoreAllMocks())

describe('the visit chunk', () => {
  it('is not fetched for a page no click or share led to', async () => {
    const { runtime, loadVisit } = page()
    runtime.viewed()
    await settle()
    expect(loadVisit).not.toHaveBeenCalled()
  })

  it('measures a noted click’s landing once it arrives', async () => {
    const { runtime, sent, loadVisit, context, arrive } = page()
    noteClick(context, ids, `${location.origin}/guides/boots`)
    runtime.viewed()
    expect(localStorage.getItem(handoffKey)).toBeNull()
    expect(loadVisit).toHaveBeenCalled()
    expect(sent).toEqual([])
    arrive()
    await vi.waitFor(() => expect(sent).toContain('landing'))
    expect(sent).toEqual(['landing', 'scroll_25', 'scroll_50', 'scroll_75', 'scroll_100'])
    runtime.left()
    expect(sent.slice(-2)).toEqual(['time_on_page', 'bounce'])
  })

  it('ends a landing left before the chunk arrived as soon as it starts, and once', async () => {
    const { runtime, sent, context, arrive } = page()
    noteClick(context, ids, `${location.origin}/guides/boots`)
    runtime.viewed()
    runtime.left()
    runtime.left()
    arrive()
    await vi.waitFor(() => expect(sent).toContain('bounce'))
    expect(sent.filter((name) => !name.startsWith('scroll_'))).toEqual(['landing', 'time_on_page', 'bounce'])
  })
})
