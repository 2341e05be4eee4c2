// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest'
import { focusScreenHeading } from './route-focus'

function mainRegion(html: string): HTMLElement {
  const main = document.createElement('main')
  main.tabIndex = -1
  main.innerHTML = html
  document.body.append(main)
  return main
}

afterEach(() => {
  document.body.replaceChildren()
})

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('focus on a route change', () => {
  it('moves to the screen’s heading, making it focusable without adding it to the Tab order', () => {
    const main = mainRegion('<h1>Campaigns</h1><a href="#x">A link</a>')
    focusScreenHeading(main)
    const heading = main.querySelector('h1')
    expect(document.activeElement).toBe(heading)
    expect(heading?.getAttribute('tabindex')).toBe('-1')
  })

  it('holds the main region while the screen loads, then moves to the heading once it appears', async () => {
    const main = mainRegion('<p role="status">Loading…</p>')
    const stop = focusScreenHeading(main)
    expect(document.activeElement).toBe(main)
    main.innerHTML = '<h1>Winter sale</h1>'
    await tick()
    expect(document.activeElement).toBe(main.querySelector('h1'))
    stop()
  })

  it('leaves focus where the user put it while the screen was loading', async () => {
    const main = mainRegion('<p role="status">Loading…</p><button type="button">Retry</button>')
    focusScreenHeading(main)
    main.querySelector('button')?.focus()
    main.insertAdjacentHTML('afterbegin', '<h1>Winter sale</h1>')
    await tick()
    expect(document.activeElement).toBe(main.querySelector('button'))
  })

  it('stops waiting when the screen is left before its heading appears', async () => {
    const main = mainRegion('<p>Loading…</p>')
    const stop = focusScreenHeading(main)
    stop()
    main.innerHTML = '<h1>Too late</h1>'
    await tick()
    expect(document.activeElement).toBe(main)
  })
})
