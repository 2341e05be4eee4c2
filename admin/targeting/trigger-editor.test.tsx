// @vitest-environment happy-dom
import { useState } from 'preact/hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { type Trigger, triggerSchema } from '../../schema/trigger'
import { renderInto } from '../testing/render'
import { choose, labelled, typeInto } from './testing/dom'
import { TriggerEditor, triggerKinds } from './trigger-editor'

function Harness({
  start,
  seen,
  errors,
}: {
  start?: Trigger
  seen: Trigger[]
  errors?: Map<string, string>
}) {
  const [value, setValue] = useState(start)
  return (
    <TriggerEditor
      value={value}
      errors={errors}
      onChange={(next) => {
        seen.push(next)
        setValue(next)
      }}
    />
  )
}

let unmount = () => {}
afterEach(() => unmount())

function mount(start?: Trigger, errors?: Map<string, string>) {
  const seen: Trigger[] = []
  const view = renderInto(<Harness start={start} seen={seen} errors={errors} />)
  unmount = view.unmount
  return { ...view, last: () => seen[seen.length - 1] }
}

describe('the trigger editor', () => {
  it('sets a scroll-50% trigger, and every kind starts from a value the schema takes', () => {
    const { container, last } = mount()
    const kind = labelled<HTMLSelectElement>(container, 'When it appears')
    expect(kind.value).toBe('load')
    choose(kind, 'scroll')
    expect(last()).toEqual({ on: 'scroll', percent: 50 })
    expect(labelled<HTMLInputElement>(container, 'How far down the page (%)').value).toBe('50')
    typeInto(labelled(container, 'How far down the page (%)'), '75')
    typeInto(labelled(container, 'How far down the page (%)'), '50')
    expect(last()).toEqual({ on: 'scroll', percent: 50 })
    expect(triggerSchema.parse(last())).toEqual({ on: 'scroll', percent: 50 })

    for (const { start } of Object.values(triggerKinds)) {
      if (start.on === 'click' || start.on === 'event') continue
      expect(triggerSchema.parse(start)).toEqual(start)
    }
  })

  it('asks for what a kind needs, and says what is wrong before saving', () => {
    const { container, last } = mount({ on: 'delay', seconds: 5 })
    const seconds = labelled<HTMLInputElement>(container, 'Seconds after the page loads')
    typeInto(seconds, '0')
    expect(last()).toEqual({ on: 'delay', seconds: 0 })
    expect(seconds.getAttribute('aria-invalid')).toBe('true')
    const error = () => container.querySelector('.field-error')?.textContent
    expect(error()).toBe('Enter a whole number from 1 to 3600.')
    typeInto(seconds, '')
    expect(labelled<HTMLInputElement>(container, 'Seconds after the page loads').value).toBe('')
    expect(error()).toBe('Enter a whole number from 1 to 3600.')

    choose(labelled(container, 'When it appears'), 'click')
    expect(error()).toBe('Enter the css selector of the element.')
    typeInto(labelled(container, 'CSS selector of the element'), '.buy-button')
    expect(last()).toEqual({ on: 'click', selector: '.buy-button' })
    expect(error()).toBeUndefined()

    choose(labelled(container, 'When it appears'), 'exit')
    expect(last()).toEqual({ on: 'exit' })
  })

  it('shows the API’s error for the trigger at its value', () => {
    const { container } = mount(
      { on: 'event', name: 'x'.repeat(10) },
      new Map([['config.trigger.name', 'Too big: expected string to have <=64 characters']]),
    )
    const name = labelled<HTMLInputElement>(container, 'Event name')
    expect(name.getAttribute('aria-invalid')).toBe('true')
    const ids = name.getAttribute('aria-describedby')?.split(' ') ?? []
    expect(ids.map((id) => container.querySelector(`#${id}`)?.textContent)).toContain(
      'Too big: expected string to have <=64 characters',
    )
  })
})
