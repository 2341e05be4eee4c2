import { useEffect, useMemo, useRef, useState } from 'preact/hooks'
import { limits } from '../../schema/limits'
import type { Targeting } from '../../schema/targeting'
import type { Trigger } from '../../schema/trigger'
import { ApiError, api, type Campaign, type CampaignPatch, type FieldProblem, type Site } from '../api'
import {
  bodyFromForm,
  type CampaignForm,
  configFrom,
  configJson,
  createBody,
  formFromCampaign,
  needsPlacements,
  previewDecision,
} from '../campaign-form'
import { campaignLoadMessage } from '../campaign-header'
import {
  applyTemplate,
  type FlowStep,
  flowSteps,
  newFlowForm,
  rememberStep,
  stepFrom,
  stepOfPath,
  stepTitles,
} from '../create-flow'
import { ObjectiveChoice, ScheduleStep, TemplateChoice } from '../create-steps'
import { DeliveryFields } from '../delivery-fields'
import type { DeliveryForm } from '../delivery-form'
import { ErrorSummary, errorsFrom, Field, NumberInput } from '../field'
import { JsonConfigEditor } from '../json-config'
import { ReadOnlyNote, useMay } from '../permissions'
import type { AdminType, Config } from '../promotion-type'
import { adminTypeOf, adminTypes, typeLabel } from '../promotions'
import { Link, navigate, root, useLocation } from '../router'
import { useServedTypes } from '../served-types'
import { DaypartingEditor, TargetingEditor, TriggerEditor } from '../targeting'
import { windowsSentence } from '../targeting/dayparting'
import { targetingSentence } from '../targeting/describe'
import { useTitle } from '../title'
import { VariantEditor } from '../variant-editor'
import { locate } from './campaign-editor'

/** How long typing must pause before the draft is saved. */
const saveDelay = 800

function formatOf(type: AdminType | undefined, config: Config): string | undefined {
  if (type?.format) return type.format(config)
  return typeof config.format === 'string' ? config.format : undefined
}

/** The PATCH that saves the draft as the form holds it, or the problem that stops it (JSON that does not parse). */
function draftPatch(
  form: CampaignForm,
  targeting: Targeting,
  previous: Campaign | undefined,
): { body: CampaignPatch } | { problem: FieldProblem } {
  const parsed = configFrom(form)
  if ('problem' in parsed) return parsed
  const format = formatOf(adminTypeOf(form.type), parsed.config)
  return { body: { ...bodyFromForm(form, parsed.config, format, previous), targeting } }
}

function startingType(asked: string | null): string {
  if (asked && adminTypeOf(asked)) return asked
  return Object.keys(adminTypes)[0] ?? ''
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`

/** The trigger in a sentence, for the review. */
function describeTrigger(config: Config): string {
  const trigger = (config.trigger ?? {}) as Record<string, unknown>
  const value = (key: string) => String(trigger[key] ?? '?')
  switch (trigger.on) {
    case 'delay':
      return `${value('seconds')} seconds after the page loads.`
    case 'scroll':
      return `Once the visitor has scrolled ${value('percent')}% of the page.`
    case 'exit':
      return 'When the visitor is about to leave.'
    case 'inactivity':
      return `After the visitor has been idle for ${value('seconds')} seconds.`
    case 'click':
      return `When the visitor clicks ${value('selector')}.`
    case 'event':
      return `When the site tracks “${value('name')}”.`
    case 'pageCount':
      return `From the visitor’s page ${value('atLeast')} in a visit.`
    default:
      return 'As soon as the page loads.'
  }
}

function describeSchedule(form: CampaignForm): string {
  const flight =
    !form.start && !form.end
      ? 'From activation until you complete it'
      : `${form.start ? `From ${form.start.replace('T', ' ')}` : 'From activation'}${form.end ? ` until ${form.end.replace('T', ' ')}` : ''}`
  return form.dayparting?.length
    ? `${flight}; ${windowsSentence(form.dayparting)} (${form.timezone}).`
    : `${flight}.`
}

function describeDelivery(delivery: DeliveryForm): string {
  const caps = [
    delivery.perHour && `${delivery.perHour} an hour`,
    delivery.perDay && `${delivery.perDay} a day`,
    delivery.perWeek && `${delivery.perWeek} a week`,
    delivery.lifetime && `${delivery.lifetime} in all`,
  ].filter(Boolean)
  const parts = [caps.length > 0 ? `At most ${caps.join(', ')} per visitor` : 'No cap per visitor']
  if (delivery.holdoutPercent && Number(delivery.holdoutPercent) > 0)
    parts.push(`${delivery.holdoutPercent}% held out`)
  if (delivery.bandit) parts.push(`a bandit on ${delivery.bandit}s`)
  if (delivery.impressionGoal) parts.push(`paced to ${delivery.impressionGoal} impressions`)
  return `${parts.join('; ')}.`
}

interface NewCampaignProps {
  /** Where the campaign is created. */
  site: Site | undefined
  sites: Site[]
}

/** The review's audience: the type's own (remarketing's), then the targeting that narrows it, if any. */
function audienceSentence(own: string | undefined, targeting: Targeting): string {
  const sentence = targetingSentence(targeting)
  if (!own) return sentence
  if (!targeting.include && !targeting.exclude) return own
  return `${own} Among them: ${sentence.charAt(0).toLowerCase()}${sentence.slice(1)}`
}

/**
 * "New campaign", one step at a time: the objective (and a template), then the steps the type declares, then a
 * review that activates it. The campaign is created as a draft on leaving the first step and saved as it is
 * edited; the address holds the draft and the step, so a reload resumes where the marketer was.
 */
/** The guided setup, or for a member whose role only reads, why there is none. */
export function NewCampaignPage(props: NewCampaignProps) {
  return useMay('write') ? <NewCampaignFlow {...props} /> : <NoNewCampaign />
}

function NoNewCampaign() {
  useTitle('New campaign')
  return (
    <div class="page">
      <header class="page-header">
        <h1 tabIndex={-1}>New campaign</h1>
      </header>
      <ReadOnlyNote capability="write" />
      <p>
        <Link href={`${root}/campaigns`}>Back to the campaigns</Link>
      </p>
    </div>
  )
}

function NewCampaignFlow({ site, sites }: NewCampaignProps) {
  const { search } = useLocation()
  const draftId = search.get('draft') ?? ''
  const [campaign, setCampaign] = useState<Campaign>()
  const [form, setForm] = useState<CampaignForm>(() => {
    const type = startingType(search.get('type'))
    return newFlowForm(type, adminTypeOf(type))
  })
  const [targeting, setTargeting] = useState<Targeting>({})
  const [template, setTemplate] = useState('')
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [formError, setFormError] = useState('')
  const [loadError, setLoadError] = useState('')
  const [saveNote, setSaveNote] = useState('')
  const [busy, setBusy] = useState(false)
  const served = useServedTypes()
  const adminType = adminTypeOf(form.type)
  const steps = flowSteps(adminType)
  const step: FlowStep = draftId ? stepFrom(search.get('step'), steps) : 'objective'
  const stepIndex = steps.indexOf(step)
  useTitle(`New campaign: ${stepTitles[step]}`)

  const parsed = configFrom(form)
  const config: Config = 'config' in parsed ? parsed.config : form.config
  const format = formatOf(adminType, config)
  const decision = useMemo(
    () => previewDecision(form, config, format, 0, campaign?.id),
    [JSON.stringify(form), JSON.stringify(config), format, campaign?.id],
  )
  const errors = useMemo(() => errorsFrom(problems), [problems])

  // What was last saved, the saves in flight (one after the other), and the draft as it is now.
  const sent = useRef('')
  const queue = useRef<Promise<unknown>>(Promise.resolve())
  const patch = draftPatch(form, targeting, campaign)
  const latest = useRef({ id: campaign?.id, patch })
  latest.current = { id: campaign?.id, patch }

  const showProblems = (error: unknown, fallback: string) => {
    const found = error instanceof ApiError ? error.fieldProblems : []
    if (found.length > 0) setProblems(found)
    else setFormError(error instanceof ApiError ? error.message : fallback)
  }

  /**
   * Saves the draft if it changed. `explicit` (a step change, the activation) shows what the API refuses; an
   * autosave only says it did not save, so the error summary never takes the focus away from typing.
   */
  const save = (explicit: boolean): Promise<boolean> => {
    const run = async () => {
      const { id, patch: current } = latest.current
      if (!id) return false
      if ('problem' in current) {
        if (explicit) setProblems([current.problem])
        setSaveNote('Not saved: the configuration is not valid JSON.')
        return false
      }
      const text = JSON.stringify(current.body)
      if (text === sent.current) return true
      setSaveNote('Saving…')
      try {
        const updated = await api.updateCampaign(id, current.body)
        sent.current = text
        setCampaign(updated)
        setProblems([])
        setSaveNote('Draft saved.')
        return true
      } catch (error) {
        if (explicit) showProblems(error, 'The draft could not be saved.')
        setSaveNote('Not saved yet: what to fix is listed when you continue.')
        return false
      }
    }
    const next = queue.current.then(run, run)
    queue.current = next
    return next
  }

  const patchText = JSON.stringify('body' in patch ? patch.body : null)
  useEffect(() => {
    if (campaign?.status !== 'draft') return
    const timer = setTimeout(() => void save(false), saveDelay)
    return () => clearTimeout(timer)
  }, [patchText, campaign?.id])

  const adopt = (loaded: Campaign) => {
    const type = adminTypeOf(loaded.type)
    const next = formFromCampaign(loaded, !type?.ConfigEditor)
    const saved = draftPatch(next, loaded.targeting, loaded)
    sent.current = 'body' in saved ? JSON.stringify(saved.body) : ''
    setForm(next)
    setTargeting(loaded.targeting)
    setCampaign(loaded)
  }

  useEffect(() => {
    if (!draftId || latest.current.id === draftId) return
    let current = true
    setLoadError('')
    api.getCampaign(draftId).then(
      (loaded) => current && adopt(loaded),
      (error) => current && setLoadError(campaignLoadMessage(error)),
    )
    return () => {
      current = false
    }
  }, [draftId])

  // Focus follows the step, so a keyboard or screen-reader user starts reading at the new step's heading.
  const heading = useRef<HTMLHeadingElement>(null)
  const shownStep = useRef(step)
  useEffect(() => {
    if (shownStep.current === step) return
    shownStep.current = step
    heading.current?.focus()
  }, [step])

  const update = (changes: Partial<CampaignForm>) => setForm((current) => ({ ...current, ...changes }))

  const chooseType = (type: string) => {
    const known = adminTypeOf(type)
    setForm((current) => ({ ...newFlowForm(type, known), name: current.name }))
    setTemplate('')
    setProblems([])
  }

  const chooseTemplate = (id: string) => {
    setTemplate(id)
    const chosen = adminType?.templates?.find((option) => option.id === id)
    setForm((current) =>
      chosen
        ? applyTemplate(current, chosen, !adminType?.ConfigEditor)
        : { ...newFlowForm(current.type, adminType), name: current.name },
    )
  }

  const create = async (): Promise<Campaign | undefined> => {
    if (!site) {
      setFormError('Choose a site before creating a campaign.')
      return undefined
    }
    if (!form.name.trim()) {
      setProblems([{ path: 'name', message: 'is required: give the campaign a name your team will know' }])
      return undefined
    }
    if ('problem' in parsed) {
      setProblems([parsed.problem])
      return undefined
    }
    // A variant needs a headline, which the next step asks for: until then, a blank one shows the name.
    const [first, ...others] = form.variants
    const ready =
      first && !first.creative.headline.trim()
        ? {
            ...form,
            variants: [{ ...first, creative: { ...first.creative, headline: form.name.trim() } }, ...others],
          }
        : form
    try {
      const created = await api.createCampaign({
        ...createBody(ready, parsed.config, format, site.id),
        targeting,
      })
      if (ready !== form) setForm(ready)
      const saved = draftPatch(ready, targeting, created)
      sent.current = 'body' in saved ? JSON.stringify(saved.body) : ''
      latest.current = { id: created.id, patch: saved }
      setCampaign(created)
      setProblems([])
      setSaveNote('Draft created.')
      return created
    } catch (error) {
      showProblems(error, 'The draft could not be created.')
      return undefined
    }
  }

  const openStep = (id: string, target: FlowStep, replace = false) => {
    rememberStep(id, target)
    navigate(`${root}/campaigns/new?${new URLSearchParams({ draft: id, step: target })}`, { replace })
  }

  /** Moves to another step, saving first; going on needs the draft saved, going back does not. */
  const goTo = async (target: FlowStep) => {
    setFormError('')
    setBusy(true)
    try {
      if (!campaign) {
        const created = await create()
        if (created) openStep(created.id, target, true)
        return
      }
      const ok = await save(true)
      if (!ok && steps.indexOf(target) > stepIndex) return
      openStep(campaign.id, target)
    } finally {
      setBusy(false)
    }
  }

  const activate = async () => {
    if (!campaign) return
    setFormError('')
    setBusy(true)
    try {
      if (!(await save(true))) return
      await api.transition(campaign.id, 'activate')
      navigate(`${root}/campaigns/${encodeURIComponent(campaign.id)}`)
    } catch (error) {
      showProblems(error, 'The campaign could not be activated.')
    } finally {
      setBusy(false)
    }
  }

  const onSubmit = (event: Event) => {
    event.preventDefault()
    const next = steps[stepIndex + 1]
    if (next) void goTo(next)
    else void activate()
  }

  const header = (
    <header class="campaign-header">
      <Link class="back" href={`${root}/campaigns`}>
        ← Campaigns
      </Link>
      <div class="page-header">
        <h1 tabIndex={-1}>New {typeLabel(form.type).toLowerCase()} campaign</h1>
      </div>
      {site && !campaign && <p class="muted">On {site.name}</p>}
      {campaign && (
        <p class="muted">On {sites.find((option) => option.id === campaign.siteId)?.name ?? site?.name}</p>
      )}
    </header>
  )

  if (loadError) {
    return (
      <div class="page">
        {header}
        <p class="alert alert-error" role="alert">
          {loadError}
        </p>
      </div>
    )
  }
  if (draftId && campaign?.id !== draftId) {
    return (
      <div class="page">
        {header}
        <p role="status">Loading the draft…</p>
      </div>
    )
  }
  if (campaign && campaign.status !== 'draft') {
    return (
      <div class="page">
        {header}
        <p class="alert" role="status">
          “{campaign.name}” is no longer a draft.{' '}
          <Link href={`${root}/campaigns/${encodeURIComponent(campaign.id)}`}>Edit it on its page</Link>.
        </p>
      </div>
    )
  }

  const unserved = served?.get(form.type) === false
  const variant = form.variants[0]
  const pageLevel = !needsPlacements(format)

  const body = (() => {
    switch (step) {
      case 'objective':
        return (
          <>
            {campaign ? (
              <p>
                Objective: <strong>{adminType?.objective.title ?? typeLabel(form.type)}</strong> (
                {typeLabel(form.type)}). A campaign’s type is fixed once its draft exists.
              </p>
            ) : (
              <>
                <ObjectiveChoice type={form.type} served={served} onChoose={chooseType} />
                {(adminType?.templates?.length ?? 0) > 0 && (
                  <TemplateChoice
                    templates={adminType?.templates ?? []}
                    chosen={template}
                    onChoose={chooseTemplate}
                  />
                )}
              </>
            )}
            <Field path="name" label="Name" errors={errors} hint="Only your team sees it.">
              {(control) => (
                <input
                  {...control}
                  type="text"
                  maxLength={limits.name}
                  value={form.name}
                  onInput={(event) => update({ name: event.currentTarget.value })}
                />
              )}
            </Field>
          </>
        )
      case 'creative':
        return (
          <>
            {adminType?.ConfigEditor ? (
              <adminType.ConfigEditor
                config={form.config}
                errors={errors}
                onChange={(next) => update({ config: next })}
              />
            ) : (
              <JsonConfigEditor
                text={form.configText ?? configJson(form.config)}
                errors={errors}
                onChange={(configText) => update({ configText })}
              />
            )}
            {needsPlacements(format) && (
              <Field
                path="placements"
                label="Placements"
                errors={errors}
                hint={
                  <>
                    Slot names, comma separated, e.g. <code>home-hero</code>. The site marks each one with{' '}
                    <code>data-promo-slot</code>.
                  </>
                }
              >
                {(control) => (
                  <input
                    {...control}
                    type="text"
                    spellcheck={false}
                    maxLength={limits.placements * (limits.slot + 2)}
                    value={form.placements}
                    onInput={(event) => update({ placements: event.currentTarget.value })}
                  />
                )}
              </Field>
            )}
            {variant && (
              <VariantEditor
                index={0}
                variant={variant}
                errors={errors}
                showWeight={false}
                fields={adminType?.creativeFields}
                onChange={(next) => update({ variants: [next, ...form.variants.slice(1)] })}
              />
            )}
            <p class="muted">
              {form.variants.length > 1
                ? `This draft has ${plural(form.variants.length, 'variant')}; edit the others on the campaign’s page.`
                : 'For an A/B test, add variants on the campaign’s page once it is created.'}
            </p>
          </>
        )
      case 'audience':
        return (
          <TargetingEditor
            value={targeting}
            onChange={setTargeting}
            errors={errors}
            siteId={site?.id}
            title="Who sees it"
          />
        )
      case 'triggers':
        return (
          <>
            {!pageLevel && (
              <p class="alert" role="status">
                This format shows in a slot, with the page: the trigger applies once you choose a popup, bar
                or slide-in.
              </p>
            )}
            <TriggerEditor
              title="Timing"
              value={config.trigger as Trigger | undefined}
              errors={errors}
              onChange={(trigger) => {
                const next = { ...config, trigger }
                update({ config: next, configText: form.configText === null ? null : configJson(next) })
              }}
            />
          </>
        )
      case 'schedule':
        return (
          <>
            <ScheduleStep form={form} errors={errors} onChange={update} />
            <DaypartingEditor
              value={{ timezone: form.timezone, ...(form.dayparting ? { dayparting: form.dayparting } : {}) }}
              errors={errors}
              onChange={({ timezone, dayparting }) => update({ timezone, dayparting })}
            />
          </>
        )
      case 'delivery':
        return (
          <>
            <DeliveryFields
              delivery={form.delivery}
              interruptive={format === 'popup'}
              scheduled={form.start !== '' && form.end !== ''}
              errors={errors}
              onChange={(changes) => update({ delivery: { ...form.delivery, ...changes } })}
            />
            <Field
              path="priority"
              label="Priority"
              errors={errors}
              hint="0 to 1000. The higher one wins when two campaigns compete for a place."
            >
              {(control) => (
                <NumberInput
                  control={control}
                  min={0}
                  max={1000}
                  value={form.priority}
                  onInput={(priority) => update({ priority })}
                />
              )}
            </Field>
          </>
        )
      case 'review':
        return (
          <>
            {unserved && (
              <p class="alert" role="status">
                This server does not show {typeLabel(form.type).toLowerCase()} campaigns to visitors yet.
              </p>
            )}
            <dl class="review-list">
              {(
                [
                  ['objective', `${form.name} · ${adminType?.objective.title ?? typeLabel(form.type)}`],
                  [
                    'creative',
                    `${variant?.creative.headline || 'No headline yet'}${format ? ` · ${format.replace(/_/g, ' ')}` : ''}${
                      needsPlacements(format) && form.placements ? ` in ${form.placements}` : ''
                    }`,
                  ],
                  ['audience', audienceSentence(adminType?.audience?.(config), targeting)],
                  [
                    'triggers',
                    pageLevel ? describeTrigger(config) : 'With the page (a slot unit has no trigger).',
                  ],
                  ['schedule', describeSchedule(form)],
                  ['delivery', describeDelivery(form.delivery)],
                ] as const
              )
                .filter(([reviewed]) => steps.includes(reviewed))
                .map(([reviewed, text]) => (
                  <div key={reviewed} class="review-row">
                    <dt>{stepTitles[reviewed]}</dt>
                    <dd>
                      {text}{' '}
                      <button
                        type="button"
                        class="button button-small button-quiet"
                        onClick={() => void goTo(reviewed)}
                      >
                        Change<span class="visually-hidden"> {stepTitles[reviewed].toLowerCase()}</span>
                      </button>
                    </dd>
                  </div>
                ))}
            </dl>
          </>
        )
    }
  })()

  const next = steps[stepIndex + 1]
  const previous = steps[stepIndex - 1]

  return (
    <div class="page">
      {header}
      <nav aria-label="Steps" class="flow-steps">
        <ol>
          {steps.map((option, index) => (
            <li key={option}>
              <button
                type="button"
                class="flow-step"
                aria-current={option === step ? 'step' : undefined}
                disabled={busy}
                onClick={() => option !== step && void goTo(option)}
              >
                <span class="flow-step-number">{index + 1}</span> {stepTitles[option]}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <div class="editor">
        <form class="editor-form" noValidate onSubmit={onSubmit} aria-busy={busy}>
          {problems.length > 0 && (
            <ErrorSummary
              problems={problems}
              locate={(path) => locate(path, form, adminType)}
              onReveal={(path) => {
                const target = stepOfPath(path, steps)
                if (campaign && target !== step) openStep(campaign.id, target)
              }}
            />
          )}
          {formError && (
            <p class="alert alert-error" role="alert">
              {formError}
            </p>
          )}
          <section class="card flow-body" aria-labelledby="step-title">
            <h2 id="step-title" tabIndex={-1} ref={heading}>
              <span class="muted">
                Step {stepIndex + 1} of {steps.length}:
              </span>{' '}
              {stepTitles[step]}
            </h2>
            {/* Keyed by step: a step's inputs are never reused for the next one's (a reused input kept stale props). */}
            <div key={step}>{body}</div>
          </section>
          <div class="form-actions">
            {previous && (
              <button type="button" class="button" disabled={busy} onClick={() => void goTo(previous)}>
                Back
              </button>
            )}
            <button type="submit" class="button button-primary" disabled={busy}>
              {next ? `Continue to ${stepTitles[next].toLowerCase()}` : 'Activate'}
            </button>
            {!next && (
              <Link class="button button-quiet" href={`${root}/campaigns`}>
                Keep as a draft
              </Link>
            )}
            <span class="muted" role="status">
              {saveNote}
            </span>
          </div>
        </form>
        <aside class="editor-preview">
          {adminType?.Preview ? (
            <adminType.Preview decision={decision} />
          ) : (
            <section class="preview" aria-labelledby="preview-title">
              <h2 id="preview-title">Preview</h2>
              <p class="muted">This type has no preview in the admin yet.</p>
            </section>
          )}
        </aside>
      </div>
    </div>
  )
}
