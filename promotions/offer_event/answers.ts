import { z } from 'zod'
import { time, uuid } from '../../schema/api'
import { limits } from '../../schema/limits'

/**
 * What offer_event's RSVP endpoints take and answer (promotions/offer_event/server/routes.ts): the schemas its
 * OpenAPI docs (server/docs.ts) and tests read them through.
 */
const isPlain = (value: string) => !/<[a-z!/?]/i.test(value)

/** `POST /api/v1/rsvps`, as PRODUCT.md gives it, with the publishable key in `site` as every public POST. */
export const rsvpRequest = z.strictObject({
  site: z.string().min(1).max(limits.id),
  campaignId: z.uuid(),
  /** Trimmed and lower-cased: the same person in another case is the same RSVP. */
  email: z.string().trim().toLowerCase().max(254).pipe(z.email('must be an email address')),
  firstName: z
    .string()
    .trim()
    .max(limits.shortText)
    .refine(isPlain, 'must be plain text, not HTML')
    .optional(),
  anonymousId: z.string().min(1).max(limits.id).optional(),
  /** The serve answer's `visitorToken` for this anonymous id: without it the RSVP is not linked to the id. */
  visitorToken: z.string().max(64).optional(),
})
export type RsvpRequest = z.infer<typeof rsvpRequest>

/** `attended`: checked in at the event (it still holds its seat). */
export const rsvpStatus = z.enum(['confirmed', 'waitlisted', 'cancelled', 'attended'])
export const rsvpAnswer = z.object({
  rsvpId: uuid,
  status: rsvpStatus,
  /** The waitlist position given on arrival (1 is first), when the RSVP was waitlisted. */
  position: z.number().int().optional(),
})

/** `POST /api/v1/rsvps/cancel`: the token of the cancel link the RSVP's mail carries. */
export const cancelRequest = z.strictObject({ token: z.string().min(1).max(200) })
export const cancelQuery = cancelRequest
export const cancelAnswer = z.object({ rsvpId: uuid, status: z.literal('cancelled') })

export const listedRsvp = z
  .object({
    id: uuid,
    email: z.string(),
    firstName: z.string().nullable(),
    status: rsvpStatus,
    position: z.number().int().nullable(),
    createdAt: time,
    promotedAt: time.nullable(),
    cancelledAt: time.nullable(),
    attendedAt: time.nullable(),
    remindedAt: time.nullable(),
  })
  .meta({ id: 'Rsvp' })
export const rsvpQuery = z.strictObject({
  status: rsvpStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
})
export const rsvpPage = z.object({
  data: z.array(listedRsvp),
  counts: z.object({
    confirmed: z.number().int(),
    waitlisted: z.number().int(),
    cancelled: z.number().int(),
    attended: z.number().int(),
  }),
  nextCursor: z.string().nullable(),
})

/** `GET /campaigns/:id/rsvps/export.csv`: every RSVP of the event, or those of one status. */
export const rsvpExportQuery = z.strictObject({ status: rsvpStatus.optional() })

/** `POST /campaigns/:id/rsvps/check-in`: the code the attendee shows (`ABCD-EFGH`, as typed or scanned). */
export const checkInRequest = z.strictObject({ code: z.string().trim().min(1).max(40) })

/**
 * What the admin's actions on one RSVP answer: the RSVP as it is now; for a cancel, the waitlisted person it
 * promoted, if any; for a check-in, whether it had been checked in already.
 */
export const rsvpActionAnswer = z.object({
  rsvp: listedRsvp,
  promoted: listedRsvp.nullable().optional(),
  alreadyCheckedIn: z.boolean().optional(),
})

export type RsvpAnswer = z.infer<typeof rsvpAnswer>
export type ListedRsvp = z.infer<typeof listedRsvp>
export type RsvpPage = z.infer<typeof rsvpPage>
export type RsvpActionAnswer = z.infer<typeof rsvpActionAnswer>
