import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import { checkLeadFields } from '../../../schema/lead-form'
import { limits } from '../../../schema/limits'
import type { Decision } from '../../../schema/serve'
import { httpUrl } from '../../kit/http-url'
import { Captcha, turnstileOf } from './captcha'
import { initialValues, type LeadConfig } from './config'
import { Field } from './field'
import type { FormEvents } from './form-events'
import { type LeadAnswer, retryMessage, sendLead } from './send'
import { type LeadContext, reportOf, senderFromPage } from './sender'

export const titleId = 'promo-form-title'

interface LeadFormProps {
  decision: Decision
  config: LeadConfig
  ctx: LeadContext
  host: HTMLElement
  events: FormEvents
}

/** Messages by field name; the one under `''` is the form's own. */
type Errors = Record<string, string>

/**
 * The form: the creative's headline and body, then the fields of the current step with its title and progress,
 * Back and Next (which checks the step first) and, on the last step, submit. Every check is the schema's
 * `checkLeadFields`, the one the API runs, so its messages are the ones shown. Once the API has the lead, the
 * success message (with the download, if there is one) takes the form's place.
 */
export function LeadForm({ decision, config, ctx, host, events }: LeadFormProps) {
  const { fields } = config
  const steps = [...new Set(fields.map((field) => field.step))].sort((a, b) => a - b)
  const [values, setValues] = useState(() => initialValues(fields))
  const [errors, setErrors] = useState<Errors>({})
  const [at, setAt] = useState(0)
  const [sending, setSending] = useState(false)
  const [done, setDone] = useState<{ download?: string | undefined }>()
  const [token, setToken] = useState('')
  const [attempt, setAttempt] = useState(0)
  const [minHeight, setMinHeight] = useState(0)
  const box = useRef<HTMLDivElement>(null)
  const trap = useRef<HTMLInputElement>(null)
  const focusNext = useRef('')
  const shownAt = useRef(Date.now())
  const last = at >= steps.length - 1
  // A Turnstile script that loads after the form shows its widget at the next render (the first keystroke).
  const captcha = config.captcha && !!config.captchaSiteKey && !!turnstileOf()

  useLayoutEffect(() => {
    if (focusNext.current) box.current?.querySelector<HTMLElement>(focusNext.current)?.focus()
    focusNext.current = ''
  })

  /** Keeps the box as tall as it was, so a shorter step or the thank-you never pulls up the page below. */
  const hold = () => setMinHeight(Math.max(minHeight, box.current?.offsetHeight ?? 0))

  const onValue = (name: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [name]: value }))
    setErrors(({ [name]: _, ...others }) => others)
    events.touched(name)
    events.started()
  }

  /** Shows the messages, on the earliest step that has one, with focus on its first field in error. */
  const show = (found: Errors) => {
    const first = fields.filter((field) => found[field.name]).sort((a, b) => a.step - b.step)[0]
    setErrors(found)
    if (first) {
      hold()
      setAt(steps.indexOf(first.step))
      focusNext.current = `#f-${first.name}`
    }
  }

  /** Checks the fields up to `step`; the schema refuses keys of steps it does not check. */
  const check = (step = Number.POSITIVE_INFINITY) => {
    const shown: Record<string, unknown> = {}
    for (const field of fields) if (field.step <= step) shown[field.name] = values[field.name]
    const result = checkLeadFields(fields, shown, step)
    if (!result.ok) show(Object.fromEntries(result.errors.map(({ path, message }) => [path, message])))
    return result.ok ? result.values : undefined
  }

  /** To another step. A field's message stays until its value changes: the API may know more than the schema. */
  const go = (to: number) => {
    hold()
    setErrors(({ '': _, ...fieldErrors }) => fieldErrors)
    setAt(to)
    focusNext.current = `#f-${fields.find((field) => field.step === steps[to])?.name}`
  }

  const submit = async () => {
    const checked = check()
    if (!checked) return
    let answer: LeadAnswer = { ok: true }
    // The admin's preview shows what follows a submit without sending anything.
    if (!ctx.preview) {
      const sender = (ctx.sender ?? senderFromPage)()
      if (!sender) throw new Error('the lead form found no script tag with data-site to send to')
      const consent = fields.find((field) => field.type === 'consent')
      setSending(true)
      setErrors({})
      answer = await sendLead(sender.api, {
        site: sender.site,
        campaignId: decision.campaignId,
        variantId: decision.variantId,
        fields: checked,
        anonymousId: sender.anonymousId,
        ...(consent ? { consent: { granted: values[consent.name] === true, text: consent.label } } : {}),
        hp: trap.current?.value ?? '',
        elapsedMs: Date.now() - shownAt.current,
        context: {
          url: location.href.slice(0, limits.url),
          referrer: document.referrer.slice(0, limits.url),
        },
        ...(token ? { captchaToken: token } : {}),
      })
      setSending(false)
      setToken('')
      setAttempt((n) => n + 1)
    }
    if (!answer.ok) return show(answer.errors)
    events.submitted()
    hold()
    setDone({ download: answer.download })
    focusNext.current = '[role=status]'
    const redirect = httpUrl(config.redirectUrl)
    if (redirect && !answer.download && !ctx.preview) location.assign(redirect)
  }

  const onSubmit = (event: Event) => {
    event.preventDefault()
    if (sending) return
    const step = async () => (last ? submit() : check(steps[at]) && go(at + 1))
    step().catch((error) => {
      reportOf(ctx)(error)
      setSending(false)
      setErrors({ '': retryMessage })
    })
  }

  const { headline, body } = decision.creative
  const title = config.stepTitles[at]
  const privacy = httpUrl(config.privacyPolicyUrl)
  return (
    <div ref={box} style={minHeight ? { minHeight: `${minHeight}px` } : undefined}>
      <strong class="headline" id={titleId} dir="auto">
        {headline}
      </strong>
      {body && <p dir="auto">{body}</p>}
      {done ? (
        <div class="done" role="status" tabIndex={-1}>
          <p dir="auto">{config.successMessage}</p>
          {done.download && (
            <a class="cta" href={done.download} target="_blank" rel="noopener" dir="auto">
              {config.offer?.title ? `Download ${config.offer.title}` : 'Download'}
            </a>
          )}
        </div>
      ) : (
        <form
          noValidate
          aria-labelledby={titleId}
          aria-busy={sending}
          onSubmit={onSubmit}
          onFocusIn={(event) => {
            const { name } = event.target as HTMLInputElement
            if (fields.some((field) => field.name === name)) events.touched(name)
          }}
        >
          {steps.length > 1 && <p>{`Step ${at + 1} of ${steps.length}`}</p>}
          <fieldset>
            {title && <legend dir="auto">{title}</legend>}
            {fields
              .filter((field) => field.step === steps[at])
              .map((field) => (
                <Field
                  key={field.name}
                  field={field}
                  value={values[field.name] ?? ''}
                  error={errors[field.name]}
                  onValue={onValue}
                />
              ))}
          </fieldset>
          <div class="hp" aria-hidden="true">
            <input ref={trap} name="website" type="text" tabIndex={-1} autocomplete="off" />
          </div>
          {captcha && (
            <Captcha
              host={host}
              siteKey={config.captchaSiteKey!}
              attempt={attempt}
              onToken={setToken}
              report={reportOf(ctx)}
            />
          )}
          <p class="error" role="alert" dir="auto">
            {errors['']}
          </p>
          <div class="actions">
            {at > 0 && (
              <button type="button" class="back" onClick={() => go(at - 1)}>
                Back
              </button>
            )}
            <button type="submit" class="cta" disabled={sending}>
              {last ? config.submitButtonText : 'Next'}
            </button>
            {privacy && (
              <a class="privacy" href={privacy} target="_blank" rel="noopener">
                Privacy policy
              </a>
            )}
          </div>
        </form>
      )}
    </div>
  )
}
