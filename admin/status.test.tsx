// @vitest-environment happy-dom
import { render } from 'preact'
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { campaignStatuses, transitions } from '../schema/campaign'
import { StatusActions } from './status'

let container: HTMLElement

function offered(status: (typeof campaignStatuses)[number], onAction = () => {}): HTMLButtonElement[] {
  container = document.createElement('div')
  document.body.append(container)
  act(() => render(<StatusActions status={status} onAction={onAction} />, container))
  return Array.from(container.querySelectorAll('button'))
}

afterEach(() => {
  render(null, container)
  container.remove()
})

describe('status buttons', () => {
  it.each(campaignStatuses)('offer exactly the transitions the status machine allows from %s', (status) => {
    const allowed = Object.entries(transitions)
      .filter(([, transition]) => transition.from.includes(status))
      .map(([action]) => action)
    expect(offered(status).map((button) => button.dataset.action)).toEqual(allowed)
  })

  it('follow the product flow: draft → active ⇄ paused → completed, archive from all but archived', () => {
    const names = (status: (typeof campaignStatuses)[number]) =>
      offered(status).map((button) => button.textContent)
    expect(names('draft')).toEqual(['Activate', 'Archive'])
    expect(names('active')).toEqual(['Pause', 'Complete', 'Archive'])
    expect(names('paused')).toEqual(['Resume', 'Complete', 'Archive'])
    expect(names('completed')).toEqual(['Archive'])
    expect(names('archived')).toEqual([])
  })

  it('report the chosen action', () => {
    const onAction = vi.fn()
    const pause = offered('active', onAction).find((button) => button.dataset.action === 'pause')
    act(() => pause?.click())
    expect(onAction).toHaveBeenCalledWith('pause')
  })
})
