// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { lazyScreen } from './lazy'
import { renderInto, settle } from './testing/render'

let unmount = () => {}
afterEach(() => unmount())

function Hello({ name }: { name: string }) {
  return <h1>Hello {name}</h1>
}

describe('lazy screens', () => {
  it('say they are loading, then draw the screen once its chunk is there, and at once the next time', async () => {
    const load = vi.fn(async () => Hello)
    const Screen = lazyScreen(load)
    const first = renderInto(<Screen name="Ada" />)
    unmount = first.unmount
    expect(first.container.querySelector('[role="status"]')?.textContent).toBe('Loading…')
    await vi.waitFor(async () => {
      await settle(1)
      expect(first.container.querySelector('h1')?.textContent).toBe('Hello Ada')
    })
    first.unmount()
    const second = renderInto(<Screen name="Grace" />)
    unmount = second.unmount
    expect(second.container.querySelector('h1')?.textContent).toBe('Hello Grace')
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('says so when the chunk does not arrive, and asks for it again on the next visit', async () => {
    const load = vi
      .fn<() => Promise<typeof Hello>>()
      .mockRejectedValueOnce(new Error('offline'))
      .mockResolvedValueOnce(Hello)
    const Screen = lazyScreen(load)
    const first = renderInto(<Screen name="Ada" />)
    unmount = first.unmount
    await vi.waitFor(async () => {
      await settle(1)
      expect(first.container.querySelector('[role="alert"]')?.textContent).toContain('could not be loaded')
    })
    first.unmount()
    const second = renderInto(<Screen name="Ada" />)
    unmount = second.unmount
    await vi.waitFor(async () => {
      await settle(1)
      expect(second.container.querySelector('h1')?.textContent).toBe('Hello Ada')
    })
    expect(load).toHaveBeenCalledTimes(2)
  })
})
