import { useEffect, useMemo, useState } from 'preact/hooks'
import type { Trigger } from '../../schema/trigger'
import { ApiError, api, type Campaign, type FieldProblem, type Site } from '../api'
import {
  bodyFromForm,
  type CampaignForm,
  type CreativeField,
  configFrom,
  configJson,
  createBody,
  creativeFields,
  emptyForm,
  formFromCampaign,
  needsPlacements,
  newVariant,
  previewDecision,
  type VariantForm,
} from '../campaign-form'
import { CampaignHeader, campaignLoadMessage } from '../campaign-header'
import { CostEditor, CostFields, costLabels } from '../cost-fields'
import type { CostForm } from '../cost-form'
import { resumePath } from '../create-flow'
import { DecisionTracePanel } from '../decision-trace'
import { DeliveryFields, deliveryLabels } from '../delivery-fields'
import type { DeliveryForm } from '../delivery-form'
import { ErrorSummary, errorsFrom, Field, type FieldLocation } from '../field'
import { JsonConfigEditor } from '../json-config'
import { ReadOnlyNote, useMay } from '../permissions'
import type { AdminType, Config } from '../promotion-type'
import { adminTypeOf, adminTypes, typeLabel } from '../promotions'
import { Link, navigate, root, useLocation } from '../router'
import { useServedTypes } from '../served-types'
import { SettingsFields } from '../settings-fields'
import { DaypartingEditor, TargetingEditor, TriggerEditor } from '../targeting'
import { useTitle } from '../title'
import { creativeLabels, VariantEditor } from '../variant-editor'

const campaignLabels: Record<string, string> = {
  name: 'Name',
  type: 'Type',
  placements: 'Placements',
  priority: 'Priority',
  'schedule.start': 'Start',
  'schedule.end': 'End',
  'schedule.timezone': 'Time zone',
  'schedule.dayparting': 'Days and hours',
  'targeting.include': 'Show to',
  'targeting.exclude': 'Never show to',
  targeting: 'Targeting',
  ...deliveryLabels,
  ...costLabels,
}

/** Where a problem with a whole object is shown: at its first field. */
const shownAt: Record<string, string> = {
  frequency: 'frequency.perHour',
  experiment: 'experiment.holdoutPercent',
  cost: 'cost.amount',
  targeting: 'targeting.include',
}

/**
 * Where a config error path is shown: the JSON box for a type edited as JSON; else the type's own field for it
 * (the longest labelled path it falls under), a whole-config problem at the type's first field.
 */
function locateConfig(
  path: string,
  form: CampaignForm,
  type: AdminType | undefined,
): FieldLocation | undefined {
  if (type?.triggered && (path === 'config.trigger' || path.startsWith('config.trigger.')))
    return { path: 'config.trigger', label: 'Trigger' }
  if (form.configText !== null) {
    const inside = path.slice('config.'.length)
    return { path: 'config', label: path === 'config' ? 'Configuration' : `Configuration, ${inside}` }
  }
  const labels = Object.entries(type?.configLabels ?? {})
  if (path === 'config') {
    const first = labels[0]
    return first ? { path: first[0], label: first[1] } : undefined
  }
  let best: [string, string] | undefined
  for (const entry of labels) {
    const [fieldPath] = entry
    if (
      (path === fieldPath || path.startsWith(`${fieldPath}.`)) &&
      fieldPath.length > (best?.[0].length ?? -1)
    )
      best = entry
  }
  return best ? { path: best[0], label: best[1] } : undefined
}

/** Where an API error path is shown in this editor; paths it does not show stay in the summary only. */
export function locate(
  path: string,
  form: CampaignForm,
  type: AdminType | undefined,
): FieldLocation | undefined {
  if (path === 'config' || path.startsWith('config.')) return locateConfig(path, form, type)
  const variant = /^variants\.(\d+)\.(name|weight|creative\.(\w+))/.exec(path)
  if (variant) {
    const index = Number(variant[1])
    const field = variant[3]
    const shown = form.variants[index]
    if (!shown) return undefined
    const variantLabel = `Variant ${shown.name || index + 1}`
    if (variant[2] === 'name') return { path: `variants.${index}.name`, label: `${variantLabel}, name` }
    if (variant[2] === 'weight') return { path: `variants.${index}.weight`, label: `${variantLabel}, weight` }
    if (field && (creativeFields as readonly string[]).includes(field)) {
      const creativeField = field as CreativeField
      return {
        path: `variants.${index}.creative.${field}`,
        label: `${variantLabel}, ${creativeLabels[creativeField].toLowerCase()}`,
      }
    }
    return undefined
  }
  for (const [fieldPath, label] of Object.entries(campaignLabels)) {
    if (path === fieldPath || path.startsWith(`${fieldPath}.`)) {
      return { path: shownAt[fieldPath] ?? fieldPath, label }
    }
  }
  return undefined
}

function variantOf(path: string): number | undefined {
  const match = /^variants\.(\d+)\./.exec(path)
  return match ? Number(match[1]) : undefined
}

function nextVariantName(variants: VariantForm[]): string {
  const taken = new Set(variants.map((variant) => variant.name))
  for (let code = 65; code <= 90; code += 1) {
    const name = String.fromCharCode(code)
    if (!taken.has(name)) return name
  }
  return `Variant ${variants.length + 1}`
}

/** A notice that outlives the route change from "new" to the created campaign's own page. */
let noticeForNextPage = ''

interface EditorProps {
  /** Absent for a new campaign. */
  id?: string
  /** Where a new campaign is created. */
  site: Site | undefined
  /** The organization's sites, among them the one a saved campaign belongs to. */
  sites: Site[]
}

/** The form a new campaign of this type starts with. */
function newForm(type: string): CampaignForm {
  const known = adminTypeOf(type)
  return emptyForm(type, known?.defaultConfig() ?? {}, !known?.ConfigEditor, known?.defaultFrequency)
}

/** The type a new campaign starts as: the one the address asks for (`?type=`), else the registry's first. */
function startingType(asked: string | null): string {
  if (asked && adminTypeOf(asked)) return asked
  return Object.keys(adminTypes)[0] ?? ''
}

export function CampaignEditorPage({ id, site, sites }: EditorProps) {
  const { search } = useLocation()
  const canWrite = useMay('write')
  const [campaign, setCampaign] = useState<Campaign>()
  const [form, setForm] = useState<CampaignForm>(() => newForm(startingType(search.get('type'))))
  const [saved, setSaved] = useState(() => JSON.stringify(form))
  const [selected, setSelected] = useState(0)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [loadError, setLoadError] = useState('')
  const [formError, setFormError] = useState('')
  const [notice, setNotice] = useState(() => {
    const pending = noticeForNextPage
    noticeForNextPage = ''
    return pending
  })
  const [busy, setBusy] = useState(false)
  const served = useServedTypes(!id)
  useTitle(id ? (campaign?.name ?? 'Campaign') : 'New campaign')
  const adminType = adminTypeOf(form.type)

  const adopt = (loaded: Campaign) => {
    const next = formFromCampaign(loaded, !adminTypeOf(loaded.type)?.ConfigEditor)
    setCampaign(loaded)
    setForm(next)
    setSaved(JSON.stringify(next))
    setSelected((index) => Math.min(index, Math.max(0, next.variants.length - 1)))
  }

  useEffect(() => {
    if (!id) return
    let current = true
    api.getCampaign(id).then(
      (loaded) => current && adopt(loaded),
      (error) => current && setLoadError(campaignLoadMessage(error)),
    )
    return () => {
      current = false
    }
  }, [id])

  const errors = useMemo(() => errorsFrom(problems), [problems])
  const parsed = configFrom(form)
  // While typed JSON does not parse, the preview and the fields that depend on the format keep the last config.
  const config: Config = 'config' in parsed ? parsed.config : form.config
  const format = adminType?.format
    ? adminType.format(config)
    : typeof config.format === 'string'
      ? config.format
      : undefined
  const decision = useMemo(
    () => previewDecision(form, config, format, selected, campaign?.id),
    [JSON.stringify(form), JSON.stringify(config), format, selected, campaign?.id],
  )
  const update = (patch: Partial<CampaignForm>) => setForm((current) => ({ ...current, ...patch }))
  const setVariant = (index: number, variant: VariantForm) =>
    setForm((current) => ({
      ...current,
      variants: current.variants.map((v, i) => (i === index ? variant : v)),
    }))
  const setDelivery = (patch: Partial<DeliveryForm>) =>
    setForm((current) => ({ ...current, delivery: { ...current.delivery, ...patch } }))
  const setCost = (patch: Partial<CostForm>) =>
    setForm((current) => ({ ...current, cost: { ...current.cost, ...patch } }))
  const dirty = JSON.stringify(form) !== saved
  const setConfig = (next: Config) => update({ config: next })
  const setConfigText = (configText: string) => update({ configText })
  // The trigger is a key of the type's config: set into the config, or into the JSON for a type edited as JSON.
  const setTrigger = (trigger: Trigger) => {
    if (!('config' in parsed)) return
    const next = { ...parsed.config, trigger }
    if (form.configText !== null) setConfigText(configJson(next))
    else setConfig(next)
  }
  const chooseType = (type: string) => {
    const next = newForm(type)
    // What is typed so far stays; the type's own settings start over, and so do the caps unless they were changed.
    setForm((current) => {
      const untouched = JSON.stringify(current.delivery) === JSON.stringify(newForm(current.type).delivery)
      return {
        ...current,
        type,
        config: next.config,
        configText: next.configText,
        delivery: untouched ? next.delivery : current.delivery,
      }
    })
    setProblems([])
  }

  const addVariant = () => {
    const source = form.variants[selected] ?? form.variants[0]
    const variant = newVariant(nextVariantName(form.variants), source?.creative)
    update({ variants: [...form.variants, variant] })
    setSelected(form.variants.length)
  }

  const removeVariant = (index: number) => {
    const variant = form.variants[index]
    if (!variant || form.variants.length < 2) return
    if (!window.confirm(`Remove variant “${variant.name}”? It stops showing once you save.`)) return
    update({ variants: form.variants.filter((_, i) => i !== index) })
    setSelected(Math.max(0, index - 1))
    setProblems([])
  }

  const save = async (event: Event) => {
    event.preventDefault()
    setFormError('')
    setNotice('')
    if (!id && !site) {
      setFormError('Choose a site before creating a campaign.')
      return
    }
    if ('problem' in parsed) {
      setProblems([parsed.problem])
      return
    }
    setBusy(true)
    try {
      if (id && campaign) {
        adopt(await api.updateCampaign(id, bodyFromForm(form, parsed.config, format, campaign)))
        setProblems([])
        setNotice('Changes saved.')
      } else if (site) {
        const created = await api.createCampaign(createBody(form, parsed.config, format, site.id))
        noticeForNextPage = 'Draft created. Activate it when it is ready to show.'
        navigate(`${root}/campaigns/${encodeURIComponent(created.id)}`, { replace: true })
        return
      }
    } catch (error) {
      const found = error instanceof ApiError ? error.fieldProblems : []
      if (found.length > 0) {
        setProblems(found)
        const onThisVariant = found.some((problem) => variantOf(problem.path) === selected)
        const firstVariant = found
          .map((problem) => variantOf(problem.path))
          .find((index) => index !== undefined)
        if (!onThisVariant && firstVariant !== undefined && firstVariant < form.variants.length)
          setSelected(firstVariant)
      } else {
        setProblems([])
        setFormError(error instanceof ApiError ? error.message : 'The campaign could not be saved.')
      }
    } finally {
      setBusy(false)
    }
  }

  const remove = async () => {
    if (!campaign || !window.confirm(`Delete the draft “${campaign.name}”? This cannot be undone.`)) return
    setBusy(true)
    try {
      await api.deleteCampaign(campaign.id)
      navigate(`${root}/campaigns`, { replace: true })
    } catch (error) {
      setFormError(error instanceof ApiError ? error.message : 'The campaign could not be deleted.')
      setBusy(false)
    }
  }

  const header = id ? (
    <CampaignHeader id={id} campaign={campaign} current="settings" onChange={setCampaign} />
  ) : (
    <header class="campaign-header">
      <Link class="back" href={`${root}/campaigns`}>
        ← Campaigns
      </Link>
      <div class="page-header">
        <h1 tabIndex={-1}>New {typeLabel(form.type).toLowerCase()} campaign</h1>
      </div>
      {site && <p class="muted">On {site.name}</p>}
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
  if (id && !campaign) {
    return (
      <div class="page">
        {header}
        <p role="status">Loading campaign…</p>
      </div>
    )
  }
  if (campaign && !adminType) {
    return (
      <div class="page">
        {header}
        <p class="alert" role="status">
          This admin does not know the campaign type “{campaign.type}” yet; use the HTTP API to change this
          campaign. Its cost, status and results work here.
        </p>
        <CostEditor campaign={campaign} onSaved={setCampaign} />
      </div>
    )
  }

  const archived = campaign?.status === 'archived'
  const readOnly = archived || !canWrite
  const variant = form.variants[selected]
  const variantHasErrors = (index: number) => problems.some((problem) => variantOf(problem.path) === index)

  return (
    <div class="page">
      {header}
      {campaign?.status === 'draft' && canWrite && (
        <p>
          <Link href={resumePath(root, campaign)}>Continue the guided setup</Link>, at the step you left it.
        </p>
      )}
      <div class="editor">
        <form class="editor-form" noValidate onSubmit={save} aria-busy={busy}>
          {problems.length > 0 && (
            <ErrorSummary
              problems={problems}
              locate={(path) => locate(path, form, adminType)}
              onReveal={(path) => {
                const index = variantOf(path)
                if (index !== undefined) setSelected(index)
              }}
            />
          )}
          {formError && (
            <p class="alert alert-error" role="alert">
              {formError}
            </p>
          )}
          {archived && <p class="alert">Archived campaigns are kept as they ran and cannot be edited.</p>}
          {!archived && <ReadOnlyNote capability="write" />}
          <fieldset class="plain" disabled={readOnly}>
            <SettingsFields
              form={form}
              errors={errors}
              inSlot={needsPlacements(format)}
              onChange={update}
              typePicker={
                !id && (
                  <Field path="type" label="Type" errors={errors} hint={adminType?.description}>
                    {(control) => (
                      <select
                        {...control}
                        value={form.type}
                        onChange={(event) => chooseType(event.currentTarget.value)}
                      >
                        {Object.entries(adminTypes).map(([type, { label }]) => (
                          <option key={type} value={type}>
                            {label}
                            {served?.get(type) === false ? ' (this server cannot show it yet)' : ''}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                )
              }
            />
            <DaypartingEditor
              value={{ timezone: form.timezone, ...(form.dayparting ? { dayparting: form.dayparting } : {}) }}
              errors={errors}
              onChange={({ timezone, dayparting }) => update({ timezone, dayparting })}
            />
            {adminType?.ConfigEditor ? (
              <adminType.ConfigEditor config={form.config} errors={errors} onChange={setConfig} />
            ) : (
              <JsonConfigEditor
                text={form.configText ?? configJson(form.config)}
                errors={errors}
                onChange={setConfigText}
              />
            )}
            {adminType?.triggered && !needsPlacements(format) && 'config' in parsed && (
              <TriggerEditor
                value={parsed.config.trigger as Trigger | undefined}
                errors={errors}
                onChange={setTrigger}
              />
            )}
            <TargetingEditor
              value={form.targeting}
              onChange={(targeting) => update({ targeting })}
              errors={errors}
              siteId={campaign?.siteId ?? site?.id}
            />
            {!id && served?.get(form.type) === false && (
              <p class="alert" role="status">
                This server does not show {typeLabel(form.type).toLowerCase()} campaigns to visitors yet: a
                draft can be prepared now, and it shows once the server can serve the type.
              </p>
            )}
            <DeliveryFields
              delivery={form.delivery}
              interruptive={format === 'popup'}
              scheduled={form.start !== '' && form.end !== ''}
              errors={errors}
              onChange={setDelivery}
            />
            <CostFields cost={form.cost} errors={errors} onChange={setCost} />
          </fieldset>
          {/* The variant picker stays usable when the rest is read-only: reading every variant is reading. */}
          <section class="card" aria-labelledby="creative-title">
            <div class="section-header">
              <h2 id="creative-title">Creative</h2>
              {!readOnly && (
                <button type="button" class="button button-small" onClick={addVariant}>
                  Add variant
                </button>
              )}
            </div>
            {form.variants.length > 1 && (
              <fieldset class="variant-picker">
                <legend class="visually-hidden">Variant to edit</legend>
                {form.variants.map((option, index) => (
                  <button
                    key={option.id ?? `new-${index}`}
                    type="button"
                    class="chip"
                    aria-pressed={index === selected}
                    onClick={() => setSelected(index)}
                  >
                    {option.name || `Variant ${index + 1}`}
                    {variantHasErrors(index) && <span class="chip-error"> (needs fixing)</span>}
                  </button>
                ))}
              </fieldset>
            )}
            {form.variants.length > 1 && (
              <p class="muted">An A/B test: visitors are split between variants by weight.</p>
            )}
            {variant && (
              <fieldset class="plain" disabled={readOnly}>
                <VariantEditor
                  index={selected}
                  variant={variant}
                  errors={errors}
                  showWeight={form.variants.length > 1}
                  fields={adminType?.creativeFields}
                  onChange={(next) => setVariant(selected, next)}
                />
              </fieldset>
            )}
            {!readOnly && variant && form.variants.length > 1 && (
              <button type="button" class="button button-quiet" onClick={() => removeVariant(selected)}>
                Remove variant {variant.name}
              </button>
            )}
            {errors.get('variants') && <p class="field-error">{errors.get('variants')}</p>}
          </section>

          {!readOnly && (
            <div class="form-actions">
              <button type="submit" class="button button-primary" disabled={busy}>
                {busy ? 'Saving…' : id ? 'Save changes' : 'Create draft'}
              </button>
              <Link class="button button-quiet" href={`${root}/campaigns`}>
                Cancel
              </Link>
              <span class="muted" role="status">
                {notice || (dirty && id ? 'Unsaved changes' : '')}
              </span>
              {campaign?.status === 'draft' && (
                <button type="button" class="button button-danger" onClick={remove} disabled={busy}>
                  Delete draft
                </button>
              )}
            </div>
          )}
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
          {campaign && (
            <DecisionTracePanel
              campaign={campaign}
              siteKey={sites.find((option) => option.id === campaign.siteId)?.publishableKey}
              dirty={dirty}
            />
          )}
        </aside>
      </div>
    </div>
  )
}
