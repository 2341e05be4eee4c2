import { type ComponentChild, render } from 'preact'
import { act } from 'preact/test-utils'

/** Renders into a fresh container in the document; call the returned function to unmount it. */
export function renderInto(vnode: ComponentChild): { container: HTMLElement; unmount: () => void } {
  const container = document.createElement('div')
  document.body.append(container)
  act(() => render(vnode, container))
  return {
    container,
    unmount: () => {
      act(() => render(null, container))
      container.remove()
    },
  }
}

/** Lets pending fetches resolve and Preact re-render, a few rounds deep. */
export async function settle(rounds = 5) {
  for (let round = 0; round < rounds; round += 1) {
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0))
    })
  }
}

export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } })
}
