import { useLayoutEffect, useState } from 'preact/hooks'
import { formatTime, partsOf } from './time'

interface CountdownProps {
  /** The instant it counts down to (ms). */
  deadline: number
  /** Called once, when it reaches zero. */
  onEnd(): void
}

const pad = (n: number) => String(n).padStart(2, '0')
const unit = (n: number, name: string) => (n ? `${n} ${name}${n === 1 ? '' : 's'} ` : '')

/**
 * A clock ticking every second on the second, drawn for the eye only; screen readers hear a polite live line
 * that changes only when the whole minutes left change, never every second. Under it, the end in the
 * visitor's own zone.
 */
export function Countdown({ deadline, onEnd }: CountdownProps) {
  const [now, setNow] = useState(Date.now)
  const left = deadline - now
  // Scheduled as soon as drawn (not after the next paint), so each tick lands on the second.
  useLayoutEffect(() => {
    if (left <= 0) {
      onEnd()
      return
    }
    const timer = setTimeout(() => setNow(Date.now()), left % 1000 || 1000)
    return () => clearTimeout(timer)
  }, [now])
  const [d, h, m, s] = partsOf(left)
  const minutes = Math.ceil(left / 60_000)
  return (
    <p class="clock">
      <span class="digits" aria-hidden="true">
        {d > 0 && `${d}d `}
        {pad(h)}:{pad(m)}:{pad(s)}
      </span>
      <span class="sr" aria-live="polite">
        {`Ends in ${unit(Math.floor(minutes / 1440), 'day')}${unit(Math.floor((minutes % 1440) / 60), 'hour')}${unit(minutes % 60, 'minute')}`.trim()}
      </span>
      <span class="until">Ends {formatTime(deadline)}</span>
    </p>
  )
}
