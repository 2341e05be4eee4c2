// @vitest-environment happy-dom
import { useState } from 'preact/hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { schedule as scheduleSchema } from '../../schema/campaign'
import { renderInto } from '../testing/render'
import { DaypartingEditor, type DaypartingEditorProps, type DaypartingValue } from './dayparting-editor'
import { buttonNamed, choose, click, keyClick, labelled, press } from './testing/dom'

function Harness({
  start,
  seen,
  errors,
}: { start: DaypartingValue; seen: DaypartingValue[] } & Pick<DaypartingEditorProps, 'errors'>) {
  const [value, setValue] = useState(start)
  return (
    <DaypartingEditor
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

function mount(start: DaypartingValue, errors?: Map<string, string>) {
  const seen: DaypartingValue[] = []
  const view = renderInto(<Harness start={start} seen={seen} errors={errors} />)
  unmount = view.unmount
  return { ...view, last: () => seen[seen.length - 1] }
}

/** A grid button by its accessible name: a cell's label, or a heading's text. */
const cell = (container: HTMLElement, name: string) => {
  const found =
    container.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`) ??
    [...container.querySelectorAll<HTMLButtonElement>('.grid-header')].find(
      (button) => button.textContent?.replace(/\s+/g, ' ').trim() === name,
    )
  if (!found) throw new Error(`no grid button ${name}`)
  return found
}

describe('the dayparting grid', () => {
  it('builds a weekday 9–17 schedule with the keyboard alone, in the chosen time zone', () => {
    const { container, last } = mount({ timezone: 'UTC' })
    choose(labelled(container, 'Time zone'), 'Europe/Paris')
    expect(last()).toEqual({ timezone: 'Europe/Paris' })

    // One tab stop: Monday 09:00. Arrow keys move, Enter or Space (a button's click) toggles.
    const tabbable = [...container.querySelectorAll<HTMLButtonElement>('.grid-cell')].filter(
      (b) => b.tabIndex === 0,
    )
    expect(tabbable.map((b) => b.getAttribute('aria-label'))).toEqual(['Monday 09:00 to 10:00'])
    tabbable[0]?.focus()
    for (let day = 0; day < 5; day += 1) {
      for (let hour = 9; hour < 17; hour += 1) {
        keyClick(document.activeElement)
        if (hour < 16) press(document.activeElement, 'ArrowDown')
      }
      press(document.activeElement, 'PageUp')
      for (let step = 0; step < 9; step += 1) press(document.activeElement, 'ArrowDown')
      if (day < 4) press(document.activeElement, 'ArrowRight')
    }
    const weekdays = {
      timezone: 'Europe/Paris',
      dayparting: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
    }
    expect(last()).toEqual(weekdays)
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Friday 09:00 to 10:00')
    expect(scheduleSchema.parse(last())).toEqual(weekdays)
    expect(cell(container, 'Friday 16:00 to 17:00').getAttribute('aria-pressed')).toBe('true')
    expect(cell(container, 'Friday 17:00 to 18:00').getAttribute('aria-pressed')).toBe('false')
    expect(container.textContent).toContain('Runs Monday to Friday 09:00–17:00.')
  })

  it('has a preset for weekdays 9–17, whole-day and whole-hour toggles, and a way back to every hour', () => {
    const { container, last } = mount({ timezone: 'America/New_York' })
    click(buttonNamed(container, 'Weekdays 9–17'))
    expect(last()).toEqual({
      timezone: 'America/New_York',
      dayparting: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' }],
    })
    click(cell(container, 'Saturday, all day'))
    expect(last()?.dayparting).toEqual([
      { days: [6], from: '00:00', to: '12:00' },
      { days: [1, 2, 3, 4, 5], from: '09:00', to: '17:00' },
      { days: [6], from: '12:00', to: '00:00' },
    ])
    click(cell(container, '20:00 to 21:00, every day'))
    expect(cell(container, 'Sunday 20:00 to 21:00').getAttribute('aria-pressed')).toBe('true')
    expect(scheduleSchema.safeParse(last()).success).toBe(true)
    click(buttonNamed(container, 'Every hour'))
    expect(last()).toEqual({ timezone: 'America/New_York' })
  })

  it('keeps windows set to the minute until the grid changes, and shows the API’s errors', () => {
    const start = { timezone: 'UTC', dayparting: [{ days: [2], from: '09:30', to: '11:00' }] }
    const { container, last } = mount(start, new Map([['schedule.timezone', 'unknown IANA time zone']]))
    expect(container.textContent).toContain('Some windows were set to the minute')
    expect(container.textContent).toContain('Runs Tuesday 09:30–11:00.')
    expect(last()).toBeUndefined()
    expect(cell(container, 'Tuesday 09:00 to 10:00').getAttribute('aria-pressed')).toBe('true')
    const zone = labelled(container, 'Time zone')
    expect(zone.getAttribute('aria-invalid')).toBe('true')
    expect(container.querySelector(`#${zone.getAttribute('aria-describedby')}`)?.textContent).toBe(
      'unknown IANA time zone',
    )
  })
})
