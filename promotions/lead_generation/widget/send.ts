import { httpUrl } from '../../../sdk/kit/http-url'
import { postText } from '../../../sdk/post'

/** `POST /api/v1/leads`, as PRODUCT.md describes it. */
export interface LeadBody {
  site: string
  campaignId: string
  variantId: string
  fields: Record<string, string | boolean>
  anonymousId: string
  /** The serve answer's proof of that id; without it the API takes the lead but links no visitor to it. */
  visitorToken?: string | undefined
  consent?: { granted: boolean; text: string }
  /** The honeypot's value: empty unless a bot filled it. */
  hp: string
  /** From the form being shown to its submit; bots are quicker than people. */
  elapsedMs: number
  context: { url: string; referrer: string }
  captchaToken?: string
}

/** What the form does with the API's answer. */
export type LeadAnswer =
  | { ok: true; download?: string | undefined }
  /** Messages by field name, and the form's own under `''`. */
  | { ok: false; errors: Record<string, string> }

/**
 * Sends the lead (as text/plain JSON, no preflight) and reads the answer: 201 with an optional download link;
 * 400 with each `fields.<name>` issue as that field's error; 429, 5xx and network failures as a message to try
 * again (`retryMessage`, the form's own words); anything else refused with the API's own message (a required captcha, a closed campaign).
 */
export async function sendLead(api: string, body: LeadBody, retryMessage: string): Promise<LeadAnswer> {
  let response: Response
  try {
    response = await postText(`${api}/api/v1/leads`, JSON.stringify(body))
  } catch {
    return { ok: false, errors: { '': retryMessage } }
  }
  const answer = await response.json().catch(() => undefined)
  if (response.ok) return { ok: true, download: httpUrl(answer?.download?.url) }
  const error = answer?.error
  if (response.status >= 500 || response.status === 429 || response.status === 408 || !error)
    return { ok: false, errors: { '': retryMessage } }
  const errors: Record<string, string> = {}
  for (const issue of Array.isArray(error.details) ? error.details : []) {
    const path = String(issue?.path)
    if (path.startsWith('fields.')) errors[path.slice(7)] ??= String(issue.message)
  }
  if (!Object.keys(errors).length) errors[''] = String(error.message || retryMessage)
  return { ok: false, errors }
}
