import type { Sender } from '../../../sdk/kit/context'
import { postText } from '../../../sdk/post'

/** What the RSVP form shows after sending: the seat, the waitlist place, or errors by field (`''`: the form's). */
export type RsvpOutcome =
  | { status: 'confirmed' }
  | { status: 'waitlisted'; position?: number }
  | { status: 'closed' | 'full' }
  | { errors: Record<string, string> }

const retry = 'Something went wrong. Please try again.'

/**
 * `POST /api/v1/rsvps` (as text/plain JSON, no preflight) with the served visitor proof when the SDK keeps the
 * visitor's id; reads 201/200 as the seat or the waitlist place, 409 as closed or full, 400 as messages at their
 * fields, and anything else as a message to try again.
 */
export async function sendRsvp(
  sender: Sender,
  campaignId: string,
  email: string,
  firstName: string,
  visitorToken?: string,
): Promise<RsvpOutcome> {
  const body: Record<string, string> = { site: sender.site, campaignId, email }
  if (firstName) body.firstName = firstName
  if (sender.anonymousId) {
    body.anonymousId = sender.anonymousId
    if (visitorToken) body.visitorToken = visitorToken
  }
  // biome-ignore lint/suspicious/noExplicitAny: the API's JSON, read field by field with fallbacks
  let answer: any
  let status: number
  try {
    const response = await postText(`${sender.api}/api/v1/rsvps`, JSON.stringify(body))
    status = response.status
    answer = await response.json().catch(() => ({}))
  } catch {
    return { errors: { '': retry } }
  }
  if (status < 300) return answer.status === 'waitlisted' ? answer : { status: 'confirmed' }
  const error = answer?.error ?? {}
  if (error.code === 'rsvp_closed') return { status: 'closed' }
  if (error.code === 'event_full') return { status: 'full' }
  const errors: Record<string, string> = {}
  if (status === 400)
    for (const issue of Array.isArray(error.details) ? error.details : [])
      if (issue?.path === 'email' || issue?.path === 'firstName') errors[issue.path] ??= String(issue.message)
  if (!Object.keys(errors).length)
    errors[''] = status >= 500 || status === 429 || !error.message ? retry : String(error.message)
  return { errors }
}
