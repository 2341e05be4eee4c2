import { useRef, useState } from 'preact/hooks'
import type { FormatContext } from '../../../sdk/kit/context'
import { type RsvpOutcome, sendRsvp } from './rsvp'

interface RsvpFormProps {
  campaignId: string
  visitorToken?: string | undefined
  ctx: FormatContext
  /** The event is full: the form joins the waitlist. */
  waitlist: boolean
}

const said = {
  confirmed: "You're in: your confirmation is on its way by email.",
  closed: 'RSVPs for this event are closed.',
  full: 'This event is full.',
}

/** One field: its label, and its error under it, tied to the input for screen readers. */
function Field(props: {
  name: string
  label: string
  type: 'email' | 'text'
  auto: string
  error?: string | undefined
}) {
  const { name, label, type, auto, error } = props
  return (
    <label class="field">
      {label}
      <input
        name={name}
        type={type as 'text'}
        autocomplete={auto}
        maxLength={name === 'email' ? 254 : 120}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${name}-error` : undefined}
      />
      {error && (
        <span class="error" id={`${name}-error`}>
          {error}
        </span>
      )}
    </label>
  )
}

/**
 * The RSVP: email and first name, usable with the keyboard alone (labels, a real submit button, the first field in
 * error focused). It posts through the loader's sender; the admin preview has none and sends nothing.
 */
export function RsvpForm({ campaignId, visitorToken, ctx, waitlist }: RsvpFormProps) {
  const [outcome, setOutcome] = useState<RsvpOutcome>({ errors: {} })
  const [busy, setBusy] = useState(false)
  const form = useRef<HTMLFormElement>(null)
  if ('status' in outcome) {
    const text =
      outcome.status === 'waitlisted'
        ? `You're on the waitlist${outcome.position ? `: #${outcome.position}` : ''}. We'll email you if a seat opens up.`
        : said[outcome.status]
    return (
      <p class="done" role="status">
        {text}
      </p>
    )
  }
  const { errors } = outcome
  const submit = async (event: Event) => {
    event.preventDefault()
    if (busy) return
    const data = new FormData(form.current!)
    const email = String(data.get('email') ?? '').trim()
    const firstName = String(data.get('firstName') ?? '').trim()
    let next: RsvpOutcome = { errors: { email: 'Enter your email address.' } }
    if (/^[^\s@]+@[^\s@]+$/.test(email)) {
      const sender = ctx.sender?.()
      if (!sender) next = { errors: { '': 'Preview: nothing is sent.' } }
      else {
        setBusy(true)
        next = await sendRsvp(sender, campaignId, email, firstName, visitorToken)
        setBusy(false)
        if ('status' in next) ctx.submitted?.()
      }
    }
    setOutcome(next)
    if ('errors' in next) {
      const first = next.errors.email ? 'email' : next.errors.firstName ? 'firstName' : ''
      if (first) (form.current?.elements.namedItem(first) as HTMLInputElement | null)?.focus()
    }
  }
  return (
    <form class="rsvp" ref={form} onSubmit={submit} noValidate aria-busy={busy}>
      <Field name="email" label="Email" type="email" auto="email" error={errors.email} />
      <Field name="firstName" label="First name" type="text" auto="given-name" error={errors.firstName} />
      <button type="submit" class="cta" disabled={busy}>
        {waitlist ? 'Join the waitlist' : 'RSVP'}
      </button>
      {errors[''] && (
        <p class="error" role="alert">
          {errors['']}
        </p>
      )}
    </form>
  )
}
