import { useRef, useState } from 'preact/hooks'
import { errorAt, type FieldErrors, fieldId } from '../field'
import {
  dayNames,
  emptyGrid,
  gridDays,
  gridFrom,
  type HourGrid,
  maxWindows,
  timeZones,
  type Window,
  windowsFrom,
  windowsSentence,
} from './dayparting'

export interface DaypartingValue {
  timezone: string
  dayparting?: Window[]
}

export interface DaypartingEditorProps {
  value: DaypartingValue
  onChange: (value: DaypartingValue) => void
  errors?: FieldErrors
  /** The schedule's path in API errors; `schedule` for a campaign. */
  path?: string
}

const hours = Array.from({ length: 24 }, (_, hour) => hour)
const hh = (hour: number) => `${String(hour).padStart(2, '0')}:00`
const shortDay = (day: number) => dayNames[day]?.slice(0, 3) ?? ''

/** A preset: which hours of which days. */
function preset(days: readonly number[], from: number, to: number): HourGrid {
  const grid = emptyGrid()
  for (const day of days) for (let hour = from; hour < to; hour += 1) grid[day]![hour] = true
  return grid
}

/**
 * When in the week the campaign runs: a grid of weekdays by hours in the campaign's time zone. Each cell is a
 * toggle button; the arrow keys move between cells (one tab stop for the grid), Space or Enter toggles, and a
 * day's or an hour's header toggles its whole column or row. Dragging over cells with the mouse paints them.
 */
export function DaypartingEditor({ value, onChange, errors, path = 'schedule' }: DaypartingEditorProps) {
  const { grid, exact } = gridFrom(value.dayparting)
  const [focus, setFocus] = useState({ day: 1, hour: 9 })
  const table = useRef<HTMLTableElement>(null)
  const painting = useRef<boolean | undefined>(undefined)
  /** The mouse press that started a drag already toggled its cell; the click that follows must not again. */
  const pressed = useRef(false)
  const zones = timeZones()
  const windows = windowsFrom(grid)
  const tooMany = (windows?.length ?? 0) > maxWindows

  const apply = (next: HourGrid) => {
    const dayparting = windowsFrom(next)
    const result: DaypartingValue = { ...value }
    if (dayparting) result.dayparting = dayparting
    else delete result.dayparting
    onChange(result)
  }
  const setCell = (day: number, hour: number, on: boolean) => {
    const next = grid.map((row) => [...row])
    next[day]![hour] = on
    apply(next)
  }
  const moveTo = (day: number, hour: number) => {
    setFocus({ day, hour })
    table.current?.querySelector<HTMLButtonElement>(`[data-cell="${day}-${hour}"]`)?.focus()
  }
  const onKeyDown = (event: KeyboardEvent, day: number, hour: number) => {
    const column = gridDays.indexOf(day as (typeof gridDays)[number])
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [column - 1, hour],
      ArrowRight: [column + 1, hour],
      ArrowUp: [column, hour - 1],
      ArrowDown: [column, hour + 1],
      Home: [0, hour],
      End: [6, hour],
      PageUp: [column, 0],
      PageDown: [column, 23],
    }
    const move = moves[event.key]
    if (!move) return
    event.preventDefault()
    const [nextColumn, nextHour] = move
    if (nextColumn < 0 || nextColumn > 6 || nextHour < 0 || nextHour > 23) return
    moveTo(gridDays[nextColumn]!, nextHour)
  }
  const toggleDay = (day: number) => {
    const on = !grid[day]!.every(Boolean)
    const next = grid.map((row, index) => (index === day ? row.map(() => on) : [...row]))
    apply(next)
  }
  const toggleHour = (hour: number) => {
    const on = !grid.every((row) => row[hour])
    const next = grid.map((row) => row.map((cell, index) => (index === hour ? on : cell)))
    apply(next)
  }

  const zoneId = fieldId(`${path}.timezone`)
  const zoneError = errorAt(errors ?? new Map(), `${path}.timezone`)
  const gridError = tooMany
    ? `Too many separate windows (${windows?.length}); the most is ${maxWindows}. Join some hours together.`
    : errorAt(errors ?? new Map(), `${path}.dayparting`)
  const gridId = fieldId(`${path}.dayparting`)

  return (
    <section class="card dayparting" aria-labelledby="dayparting-title">
      <h2 id="dayparting-title">Days and hours</h2>
      <div class={zoneError ? 'field field-invalid' : 'field'}>
        <label for={zoneId}>Time zone</label>
        {zones ? (
          <select
            id={zoneId}
            value={value.timezone}
            aria-invalid={Boolean(zoneError)}
            aria-describedby={zoneError ? `${zoneId}-error` : undefined}
            onChange={(event) => onChange({ ...value, timezone: event.currentTarget.value })}
          >
            {!zones.includes(value.timezone) && <option value={value.timezone}>{value.timezone}</option>}
            {zones.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
        ) : (
          <input
            id={zoneId}
            type="text"
            spellcheck={false}
            maxLength={64}
            value={value.timezone}
            aria-invalid={Boolean(zoneError)}
            aria-describedby={zoneError ? `${zoneId}-error` : undefined}
            onInput={(event) => onChange({ ...value, timezone: event.currentTarget.value })}
          />
        )}
        {zoneError && (
          <p class="field-error" id={`${zoneId}-error`}>
            {zoneError}
          </p>
        )}
      </div>
      <p class="muted" id={`${gridId}-hint`}>
        Choose the hours it may show, in {value.timezone.replace(/_/g, ' ')}. No hour chosen means every hour.
        Arrow keys move between hours, Space switches one on or off.
      </p>
      {!exact && (
        <p class="alert" role="status">
          Some windows were set to the minute through the API. The grid shows the hours they touch; changing
          it saves whole hours.
        </p>
      )}
      <div class="rule-row">
        <button
          type="button"
          class="button button-small"
          onClick={() => apply(preset([1, 2, 3, 4, 5], 9, 17))}
        >
          Weekdays 9–17
        </button>
        <button type="button" class="button button-small" onClick={() => apply(preset([0, 6], 0, 24))}>
          Weekends
        </button>
        <button type="button" class="button button-small button-quiet" onClick={() => apply(emptyGrid())}>
          Every hour
        </button>
      </div>
      <div class="dayparting-scroll">
        <table
          class="dayparting-grid"
          ref={table}
          aria-describedby={`${gridId}-hint${gridError ? ` ${gridId}-error` : ''}`}
          onPointerUp={() => {
            painting.current = undefined
          }}
          onPointerLeave={() => {
            painting.current = undefined
          }}
        >
          <caption class="visually-hidden">Hours the campaign runs, by day</caption>
          <thead>
            <tr>
              <th scope="col" class="grid-slot">
                <span class="visually-hidden">Hour</span>
              </th>
              {gridDays.map((day) => (
                <th scope="col" class="grid-slot" key={day}>
                  <button
                    type="button"
                    class="grid-header"
                    id={day === gridDays[0] ? gridId : undefined}
                    aria-pressed={grid[day]!.every(Boolean)}
                    onClick={() => toggleDay(day)}
                  >
                    {shortDay(day)}
                    <span class="visually-hidden">{dayNames[day]?.slice(3)}, all day</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {hours.map((hour) => (
              <tr key={hour}>
                <th scope="row" class="grid-slot">
                  <button
                    type="button"
                    class="grid-header"
                    aria-pressed={grid.every((row) => row[hour])}
                    onClick={() => toggleHour(hour)}
                  >
                    {String(hour).padStart(2, '0')}
                    <span class="visually-hidden">:00 to {hh(hour + 1)}, every day</span>
                  </button>
                </th>
                {gridDays.map((day) => {
                  const on = grid[day]![hour] === true
                  return (
                    <td class="grid-slot" key={day}>
                      <button
                        type="button"
                        class="grid-cell"
                        data-cell={`${day}-${hour}`}
                        tabIndex={focus.day === day && focus.hour === hour ? 0 : -1}
                        aria-pressed={on}
                        aria-label={`${dayNames[day]} ${hh(hour)} to ${hh(hour + 1)}`}
                        onClick={(event) => {
                          setFocus({ day, hour })
                          const painted = pressed.current && event.detail !== 0
                          pressed.current = false
                          if (!painted) setCell(day, hour, !on)
                        }}
                        onKeyDown={(event) => onKeyDown(event, day, hour)}
                        onPointerDown={(event) => {
                          if (event.pointerType !== 'mouse') return
                          painting.current = !on
                          pressed.current = true
                          setCell(day, hour, !on)
                        }}
                        onPointerEnter={() => {
                          if (painting.current !== undefined && on !== painting.current)
                            setCell(day, hour, painting.current)
                        }}
                      />
                    </td>
                  )
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="muted" aria-live="polite">
        {windowsSentence(exact ? windows : value.dayparting)}
      </p>
      {gridError && (
        <p class="field-error" id={`${gridId}-error`}>
          {gridError}
        </p>
      )}
    </section>
  )
}
