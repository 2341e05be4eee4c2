/**
 * The trigger chunk: waits for what a page-level unit's trigger names (a delay, scroll depth, exit intent,
 * inactivity, a click, a tracked event, enough pages) and then fires once. Loaded only when a decision needs
 * it. Every listener is passive and removed as soon as the trigger fires or the unit is gone.
 */
import type { Trigger, TriggerKind } from '../../schema/trigger'
import type { TriggerContext } from './context'
import { watchExit } from './exit'
import { listen } from './listen'

type Stop = () => void
type Watch<K extends TriggerKind> = (
  trigger: Extract<Trigger, { on: K }>,
  fire: () => void,
  context: TriggerContext,
) => Stop | undefined

const after = (seconds: number, fire: () => void): Stop => {
  const timer = setTimeout(fire, seconds * 1000)
  return () => clearTimeout(timer)
}

/** How far down the page is scrolled, 0 at the top and 100 at the bottom; a page that cannot scroll is seen whole. */
function scrolledPercent(): number {
  const room = document.documentElement.scrollHeight - innerHeight
  // A pixel of slack: zoomed pages stop a fraction short of the bottom.
  return room <= 1 ? 100 : ((scrollY + 1) / room) * 100
}

/** What the visitor does that means they are still there. */
const activity = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart', 'scroll']

const watchers: { [K in TriggerKind]: Watch<K> } = {
  load: (_, fire) => {
    fire()
    return undefined
  },
  delay: ({ seconds }, fire) => after(seconds, fire),
  scroll: ({ percent }, fire) => {
    const check = () => {
      if (scrolledPercent() >= percent) fire()
    }
    const stop = listen(window, ['scroll', 'resize'], check)
    check()
    return stop
  },
  exit: (_, fire) => watchExit(fire),
  inactivity: ({ seconds }, fire) => {
    let stopTimer = after(seconds, fire)
    const stopListening = listen(document, activity, () => {
      stopTimer()
      stopTimer = after(seconds, fire)
    })
    return () => {
      stopTimer()
      stopListening()
    }
  },
  click: ({ selector }, fire, { report }) => {
    try {
      document.querySelector(selector)
    } catch (error) {
      report(error)
      return undefined
    }
    return listen(document, ['click'], (event) => {
      const target = event.target
      if (target instanceof Element && target.closest(selector)) fire()
    })
  },
  event: ({ name }, fire, { onTrack }) => onTrack((tracked) => tracked === name && fire()),
  pageCount: ({ atLeast }, fire, { pages }) => {
    if (pages() >= atLeast) fire()
    return undefined
  },
}

/**
 * Starts waiting for `trigger` and calls `fire` once when it happens; returns the function that stops waiting.
 * A kind this chunk does not know never fires, so a unit is not shown at a moment nobody chose.
 */
export function arm(trigger: Trigger, fire: () => void, context: TriggerContext): Stop {
  let done = false
  let stop: Stop | undefined
  const once = () => {
    if (done) return
    done = true
    stop?.()
    fire()
  }
  try {
    const watch = watchers[trigger?.on] as Watch<TriggerKind> | undefined
    stop = watch?.(trigger, once, context)
  } catch (error) {
    context.report(error)
  }
  if (done) stop?.()
  return () => {
    done = true
    stop?.()
  }
}
