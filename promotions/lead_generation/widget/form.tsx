import type { ComponentChild } from 'preact'
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import type { FormatContext } from '../../../sdk/kit/context'
import { httpUrl } from '../../../sdk/kit/http-url'
import { titleId } from '../../../sdk/kit/popup'

/** The captcha chunk, loaded only by forms whose campaign asks for a captcha. */
type CaptchaModule = typeof import('./captcha')

import type { Errors } from './checks'
import { initialValues, type LeadConfig } from './config'
import { Field } from './field'
import type { FormEvents } from './form-events'
import type { LeadAnswer } from './send'

interface LeadFormProps {
  decision: Decision
  config: LeadConfig
  ctx: FormatContext
  host: HTMLElement
  events: FormEvents
}

let loading: Promise<typeof import('./checks')> | undefined
/**
 * The checking and sending (./checks), fetched once a visitor starts on a form, and again at the next need if
 * the fetch failed.
 */
export const loadChecks = () => {
  loading ??= import('./checks')
  loading.catch(() => {
    loading = undefined
  })
  return loading
}

/**
 * The form: the creative's headline and body, then the fields of the current step with its title and progress,
 * Back and Next (which checks the step first) and, on the last step, submit. Every check is the schema's
 * `checkLeadFields`, the one the API runs, so its messages are the ones shown. Once the API has the lead, the
 * success message (with the download, if there is one) takes the form's place.
 */
export function LeadForm({ decision, config, ctx, host, events }: LeadFormProps) {
  const { fields, texts } = config
  // The API numbers the steps 0, 1, 2… and sends the fields in step order.
  const steps = fields[fields.length - 1]!.step + 1
  const [values, setValues] = useState(() => initialValues(fields))
  const [errors, setErrors] = useState<Errors>({})
  const [at, setAt] = useState(0)
  const [sending, setSending] = useState(false)
  const [done, setDone] = useState<ComponentChild>()
  const [token, setToken] = useState('')
  const box = useRef<HTMLDivElement>(null)
  const trap = useRef<HTMLInputElement>(null)
  const focusNext = useRef('')
  const shownAt = useRef(Date.now())
  const [captchaModule, setCaptchaModule] = useState<CaptchaModule>()
  const last = at >= steps - 1
  const report = (error: unknown) => ctx.report?.(error)
  // Drawn once the page has Turnstile (see ./captcha), which may load after the form.
  const Captcha = captchaModule?.Captcha

  useEffect(() => {
    if (config.captcha) import('./captcha').then(setCaptchaModule, report)
  }, [])

  useLayoutEffect(() => {
    if (focusNext.current) box.current?.querySelector<HTMLElement>(focusNext.current)?.focus()
    focusNext.current = ''
  })

  /** Keeps the box as tall as it was, so a shorter step or the thank-you never pulls up the page below. */
  const hold = () => {
    const held = box.current
    if (held) held.style.minHeight = `${held.offsetHeight}px`
  }

  const onValue = (name: string, value: string | boolean) => {
    setValues((current) => ({ ...current, [name]: value }))
    setErrors(({ [name]: _, ...others }) => others)
    events.touched(name)
    events.started()
  }

  /** Shows the messages, on the earliest step that has one, with focus on its first field in error. */
  const show = (found: Errors) => {
    const first = fields.find((field) => found[field.name])
    setErrors(found)
    if (first) {
      hold()
      setAt(first.step)
      focusNext.current = '[aria-invalid=true]'
    }
  }

  /** Checks the fields up to `step`: the values to send, or undefined with the messages shown. */
  const check = async (step?: number) => {
    const result = (await loadChecks()).checkStep(config, values, step)
    if ('errors' in result) show(result.errors)
    else return result.values
  }

  /** To another step. A field's message stays until its value changes: the API may know more than the schema. */
  const go = (to: number) => {
    hold()
    setErrors(({ '': _, ...fieldErrors }) => fieldErrors)
    setAt(to)
    focusNext.current = 'fieldset [name]'
  }

  const submit = async () => {
    const checked = await check()
    if (!checked) return
    let answer: LeadAnswer = { ok: true }
    // The admin's preview shows what follows a submit without sending anything.
    const sender = ctx.preview ? undefined : ctx.sender?.()
    const after = await loadChecks()
    if (sender) {
      setSending(true)
      setErrors({})
      answer = await after.submitLead(sender, decision, config, checked, {
        typed: values,
        honeypot: trap.current?.value ?? '',
        elapsedMs: Date.now() - shownAt.current,
        captchaToken: token,
        retryMessage: texts.retry,
      })
      setSending(false)
      setToken('')
    }
    if (!answer.ok) return show(answer.errors)
    events.submitted()
    if (sender) ctx.submitted?.()
    hold()
    setDone(<after.Done config={config} download={answer.download} />)
    focusNext.current = '[role=status]'
    if (!ctx.preview) after.redirectAfter(config, answer.download)
  }

  const onSubmit = (event: Event) => {
    event.preventDefault()
    if (sending) return
    const step = async () => (last ? submit() : (await check(at)) && go(at + 1))
    step().catch((error) => {
      report(error)
      setSending(false)
      setErrors({ '': texts.retry })
    })
  }

  const { headline, body } = decision.creative
  const title = config.stepTitles[at]
  const privacy = httpUrl(config.privacyPolicyUrl)
  return (
    <div ref={box}>
      <strong class="headline" id={titleId} dir="auto">
        {headline}
      </strong>
      {body && <p dir="auto">{body}</p>}
      {done || (
        <form
          noValidate
          aria-labelledby={titleId}
          aria-busy={sending}
          onSubmit={onSubmit}
          onFocusIn={(event) => {
            loadChecks().catch(() => {})
            const { name } = event.target as HTMLInputElement
            if (fields.some((field) => field.name === name)) events.touched(name)
          }}
        >
          {steps > 1 && <p>{texts.step.replace('{n}', `${at + 1}`).replace('{total}', `${steps}`)}</p>}
          <fieldset>
            {title && <legend dir="auto">{title}</legend>}
            {fields
              .filter((field) => field.step === at)
              .map((field) => (
                <Field
                  key={field.name}
                  field={field}
                  value={values[field.name]!}
                  error={errors[field.name]}
                  onValue={onValue}
                  choose={texts.choose}
                />
              ))}
          </fieldset>
          <div class="hp" aria-hidden="true">
            <input ref={trap} name="website" type="text" tabIndex={-1} autocomplete="off" />
          </div>
          {Captcha && (
            <Captcha
              host={host}
              siteKey={config.captchaSiteKey!}
              token={token}
              onToken={setToken}
              report={report}
            />
          )}
          <p class="error" role="alert" dir="auto">
            {errors['']}
          </p>
          <div class="actions">
            {at > 0 && (
              <button type="button" class="cta back" onClick={() => go(at - 1)}>
                {texts.back}
              </button>
            )}
            <button type="submit" class="cta" disabled={sending}>
              {last ? config.submitButtonText : texts.next}
            </button>
            {privacy && (
              <a class="privacy" href={privacy} target="_blank" rel="noopener">
                {texts.privacy}
              </a>
            )}
          </div>
        </form>
      )}
    </div>
  )
}
