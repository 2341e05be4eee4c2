import { z } from 'zod'
import { limits } from './limits'

/** An hour: longer waits belong to a schedule, not to a trigger. */
const seconds = z.number().int().min(1).max(3600)

/**
 * When a page-level unit (popup, sticky bar, slide-in) appears. The SDK waits for it in the browser before
 * drawing the unit, so the impression is only counted once the visitor has seen it; units in slots ignore it.
 */
export const triggerSchema = z.discriminatedUnion('on', [
  z.strictObject({ on: z.literal('load') }),
  z.strictObject({ on: z.literal('delay'), seconds }),
  /** How far down the page the visitor has scrolled: 100 is the bottom. */
  z.strictObject({ on: z.literal('scroll'), percent: z.number().int().min(1).max(100) }),
  /** The pointer leaves through the top of the window; on touch screens, a fast scroll back up. */
  z.strictObject({ on: z.literal('exit') }),
  z.strictObject({ on: z.literal('inactivity'), seconds }),
  /** Matched with `Element.closest` in the browser, where an invalid selector simply never matches. */
  z.strictObject({ on: z.literal('click'), selector: z.string().trim().min(1).max(200) }),
  /** A name the site sends with `Promo.track`. */
  z.strictObject({ on: z.literal('event'), name: z.string().trim().min(1).max(limits.eventName) }),
  /** Pages seen in this visit, this one included. */
  z.strictObject({ on: z.literal('pageCount'), atLeast: z.number().int().min(1).max(100) }),
])
export type Trigger = z.infer<typeof triggerSchema>
export type TriggerKind = Trigger['on']
