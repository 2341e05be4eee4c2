import type { ComponentChildren } from 'preact'
import { useState } from 'preact/hooks'
import { ApiError, api, type Campaign, type FieldProblem } from './api'
import { type CostForm, costBody, costFromCampaign } from './cost-form'
import { ErrorSummary, errorsFrom, Field, type FieldErrors, NumberInput } from './field'
import { ReadOnlyNote, useMay } from './permissions'

/** How the editor's error summary names the cost's API paths; a problem with the whole cost shows at its amount. */
export const costLabels: Record<string, string> = {
  'cost.amount': 'Cost amount',
  'cost.currency': 'Cost currency',
  cost: 'Cost amount',
}

interface CostFieldsProps {
  cost: CostForm
  errors: FieldErrors
  onChange: (patch: Partial<CostForm>) => void
  children?: ComponentChildren
}

/** The campaign's cost: what ROAS, cost per acquisition and cost per lead divide by. */
export function CostFields({ cost, errors, onChange, children }: CostFieldsProps) {
  return (
    <section class="card" aria-labelledby="cost-title">
      <h2 id="cost-title">Cost</h2>
      <p class="muted">
        What the campaign costs over its life: media, production, the discount given. Results divide revenue
        by it for ROAS, and it by conversions for the cost per acquisition. Leave the amount blank if there is
        none.
      </p>
      <div class="grid-2">
        <Field path="cost.amount" label="Amount" errors={errors}>
          {(control) => (
            <NumberInput
              control={control}
              value={cost.amount}
              min={0}
              max={1e12}
              step="any"
              onInput={(amount) => onChange({ amount })}
            />
          )}
        </Field>
        <Field path="cost.currency" label="Currency" errors={errors} hint="Three letters, like EUR or USD.">
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={3}
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              value={cost.currency}
              onInput={(event) => onChange({ currency: event.currentTarget.value })}
            />
          )}
        </Field>
      </div>
      {children}
    </section>
  )
}

/** The cost alone, saved on its own: for the types whose other settings the admin does not edit yet. */
export function CostEditor({
  campaign,
  onSaved,
}: {
  campaign: Campaign
  onSaved: (saved: Campaign) => void
}) {
  const [cost, setCost] = useState(() => costFromCampaign(campaign.cost))
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [error, setError] = useState('')
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const canWrite = useMay('write')

  const save = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError('')
    setNotice('')
    try {
      const saved = await api.updateCampaign(campaign.id, { cost: costBody(cost) })
      setProblems([])
      setCost(costFromCampaign(saved.cost))
      onSaved(saved)
      setNotice('Cost saved.')
    } catch (caught) {
      const found = caught instanceof ApiError ? caught.fieldProblems : []
      setProblems(found)
      if (found.length === 0) {
        setError(caught instanceof ApiError ? caught.message : 'The cost could not be saved.')
      }
    } finally {
      setBusy(false)
    }
  }

  return (
    <form noValidate onSubmit={save} aria-busy={busy}>
      {problems.length > 0 && (
        <ErrorSummary
          problems={problems}
          locate={(path) => {
            const label = costLabels[path]
            return label ? { path: path === 'cost' ? 'cost.amount' : path, label } : undefined
          }}
        />
      )}
      {error && (
        <p class="alert alert-error" role="alert">
          {error}
        </p>
      )}
      <ReadOnlyNote capability="write" />
      <fieldset class="plain" disabled={campaign.status === 'archived' || !canWrite}>
        <CostFields
          cost={cost}
          errors={errorsFrom(problems)}
          onChange={(patch) => setCost((current) => ({ ...current, ...patch }))}
        >
          <div class="form-actions" hidden={!canWrite}>
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save cost'}
            </button>
            <span class="muted" role="status">
              {notice}
            </span>
          </div>
        </CostFields>
      </fieldset>
    </form>
  )
}
