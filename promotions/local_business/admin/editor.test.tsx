// @vitest-environment happy-dom
import { act } from 'preact/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { renderInto } from '../../../admin/testing/render'
import { LocatorFields } from './editor'

let unmount = () => {}
afterEach(() => unmount())

describe('LocatorFields', () => {
  it('hands back the config with each change', () => {
    const onChange = vi.fn()
    const view = renderInto(
      <LocatorFields
        config={{ geolocation: 'approximate', actions: ['directions'] }}
        errors={new Map()}
        onChange={onChange}
      />,
    )
    unmount = view.unmount
    const [geolocation] = view.container.querySelectorAll('select')
    act(() => {
      geolocation!.value = 'precise'
      geolocation!.dispatchEvent(new Event('change', { bubbles: true }))
    })
    expect(onChange).toHaveBeenLastCalledWith({ geolocation: 'precise', actions: ['directions'] })
    const call = [...view.container.querySelectorAll<HTMLInputElement>('input[type=checkbox]')].find((box) =>
      box.parentElement?.textContent?.includes('Call'),
    )!
    act(() => call.click())
    expect(onChange).toHaveBeenLastCalledWith({ geolocation: 'approximate', actions: ['directions', 'call'] })
  })
})
