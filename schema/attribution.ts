import { z } from 'zod'

/**
 * How a conversion's credit is shared among the campaign touches that led to it. Every model is computed and
 * stored for every conversion, so switching `?model=` in analytics re-reads credit, never recomputes it.
 */
export const attributionModels = [
  'last_touch',
  'first_touch',
  'linear',
  'time_decay',
  'position_based',
] as const
export const attributionModel = z.enum(attributionModels)
export type AttributionModel = z.infer<typeof attributionModel>

/** The blueprint's default, and what ad platforms report unless told otherwise. */
export const defaultAttributionModel: AttributionModel = 'last_touch'

/** The `model` field of an analytics query: absent means last touch; an unknown name is a 400 listing the five. */
export const attributionModelQuery = attributionModel.default(defaultAttributionModel)

// Shares must add up to the whole conversion, but typed-in decimals (0.3 + 0.2 + 0.5) rarely add to exactly 1.
const sumTolerance = 1e-9

/**
 * Position-based shares. `middle` is split evenly among the touches between the first and the last. All three
 * are given so the stored setting reads on its own, and they must add up to 1. `first + last` must be above 0:
 * with two touches there is no middle, and the two ends share the whole credit in the ratio first : last.
 */
export const positionWeights = z
  .strictObject({
    first: z.number().min(0).max(1),
    middle: z.number().min(0).max(1),
    last: z.number().min(0).max(1),
  })
  .refine((w) => Math.abs(w.first + w.middle + w.last - 1) <= sumTolerance, {
    message: 'first, middle and last must add up to 1',
  })
  .refine((w) => w.first + w.last > 0, { message: 'first and last cannot both be 0', path: ['first'] })
export type PositionWeights = z.infer<typeof positionWeights>

/**
 * Lookback windows and model parameters. The windows follow Meta's default (7-day click, 1-day view);
 * a view window of 0 turns view-through attribution off. Days may be fractional (0.5 is 12 hours).
 */
export const attributionSettings = z.strictObject({
  clickWindowDays: z.number().min(1).max(90).default(7),
  viewWindowDays: z.number().min(0).max(30).default(1),
  halfLifeDays: z.number().positive().max(90).default(7),
  positionWeights: positionWeights.default({ first: 0.4, middle: 0.2, last: 0.4 }),
})
export type AttributionSettings = z.infer<typeof attributionSettings>

export const defaultAttributionSettings: AttributionSettings = attributionSettings.parse({})
