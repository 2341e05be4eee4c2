import { useEffect, useMemo, useState } from 'preact/hooks'
import { ApiError, api, type Campaign, type FieldProblem, type Site } from '../api'
import {
  bodyFromForm,
  type CampaignForm,
  type CreativeField,
  createBody,
  creativeFields,
  emptyForm,
  formFromCampaign,
  newVariant,
  previewDecision,
  type VariantForm,
} from '../campaign-form'
import { CampaignHeader, campaignLoadMessage } from '../campaign-header'
import { CostEditor, CostFields, costLabels } from '../cost-fields'
import type { CostForm } from '../cost-form'
import { DecisionTracePanel } from '../decision-trace'
import { DeliveryFields, deliveryLabels } from '../delivery-fields'
import type { DeliveryForm } from '../delivery-form'
import { ErrorSummary, errorsFrom, type FieldLocation } from '../field'
import { Preview } from '../preview'
import { Link, navigate, root } from '../router'
import { SettingsFields } from '../settings-fields'
import { useTitle } from '../title'
import { creativeLabels, VariantEditor } from '../variant-editor'

const campaignLabels: Record<string, string> = {
  name: 'Name',
  'config.format': 'Format',
  config: 'Format',
  placements: 'Placements',
  priority: 'Priority',
  'schedule.start': 'Start',
  'schedule.end': 'End',
  'config.dismissible': 'Visitors can close it',
  ...deliveryLabels,
  ...costLabels,
}

/** Where a problem with a whole object is shown: at its first field. */
const shownAt: Record<string, string> = {
  config: 'config.format',
  frequency: 'frequency.perHour',
  experiment: 'experiment.holdoutPercent',
  cost: 'cost.amount',
}

/** Where an API error path is shown in this editor; paths it does not show stay in the summary only. */
function locate(path: string, form: CampaignForm): FieldLocation | undefined {
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

export function CampaignEditorPage({ id, site, sites }: EditorProps) {
  const [campaign, setCampaign] = useState<Campaign>()
  const [form, setForm] = useState<CampaignForm>(emptyForm)
  const [saved, setSaved] = useState(() => JSON.stringify(emptyForm()))
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
  useTitle(id ? (campaign?.name ?? 'Campaign') : 'New campaign')

  const adopt = (loaded: Campaign) => {
    const next = formFromCampaign(loaded)
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
  const decision = useMemo(
    () => previewDecision(form, selected, campaign?.id),
    [form, selected, campaign?.id],
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
    setBusy(true)
    try {
      if (id && campaign) {
        adopt(await api.updateCampaign(id, bodyFromForm(form, campaign)))
        setProblems([])
        setNotice('Changes saved.')
      } else if (site) {
        const created = await api.createCampaign(createBody(form, site.id))
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
        <h1 tabIndex={-1}>New awareness campaign</h1>
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
  if (campaign && campaign.type !== 'awareness') {
    return (
      <div class="page">
        {header}
        <p class="alert" role="status">
          The admin edits awareness campaigns for now; use the HTTP API to change this{' '}
          {campaign.type.replace(/_/g, ' ')} campaign. Its cost, status and results work here.
        </p>
        <CostEditor campaign={campaign} onSaved={setCampaign} />
      </div>
    )
  }

  const readOnly = campaign?.status === 'archived'
  const variant = form.variants[selected]
  const variantHasErrors = (index: number) => problems.some((problem) => variantOf(problem.path) === index)

  return (
    <div class="page">
      {header}
      <div class="editor">
        <form class="editor-form" noValidate onSubmit={save} aria-busy={busy}>
          {problems.length > 0 && (
            <ErrorSummary
              problems={problems}
              locate={(path) => locate(path, form)}
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
          {readOnly && <p class="alert">Archived campaigns are kept as they ran and cannot be edited.</p>}
          <fieldset class="plain" disabled={readOnly}>
            <SettingsFields form={form} errors={errors} onChange={update} />
            <DeliveryFields
              delivery={form.delivery}
              interruptive={form.format === 'popup'}
              scheduled={form.start !== '' && form.end !== ''}
              errors={errors}
              onChange={setDelivery}
            />
            <CostFields cost={form.cost} errors={errors} onChange={setCost} />
            <section class="card" aria-labelledby="creative-title">
              <div class="section-header">
                <h2 id="creative-title">Creative</h2>
                <button type="button" class="button button-small" onClick={addVariant}>
                  Add variant
                </button>
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
                <VariantEditor
                  index={selected}
                  variant={variant}
                  errors={errors}
                  showWeight={form.variants.length > 1}
                  onChange={(next) => setVariant(selected, next)}
                />
              )}
              {variant && form.variants.length > 1 && (
                <button type="button" class="button button-quiet" onClick={() => removeVariant(selected)}>
                  Remove variant {variant.name}
                </button>
              )}
              {errors.get('variants') && <p class="field-error">{errors.get('variants')}</p>}
            </section>
          </fieldset>

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
          <Preview decision={decision} />
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
