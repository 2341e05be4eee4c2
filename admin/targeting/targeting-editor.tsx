import { useEffect, useState } from 'preact/hooks'
import type { Targeting } from '../../schema/targeting'
import { api } from '../api'
import type { FieldErrors } from '../field'
import { targetingSentence } from './describe'
import { RuleBuilder, type SegmentOption } from './rule-builder'
import { targetingDepth, targetingFields } from './rules'
import { TryVisitor } from './try-visitor'

/**
 * The site's segments (built-in and custom) by name, for the segment picker and the sentence; none until they
 * load, and none for no site. A failed load leaves the picker showing the keys a rule already holds.
 */
export function useSegments(siteId: string | undefined): SegmentOption[] {
  const [segments, setSegments] = useState<SegmentOption[]>([])
  useEffect(() => {
    if (!siteId) return
    let current = true
    api.listAudiences(siteId).then(
      (page) => current && setSegments(page.data.map(({ key, name }) => ({ key, name }))),
      () => current && setSegments([]),
    )
    return () => {
      current = false
    }
  }, [siteId])
  return segments
}

export interface TargetingEditorProps {
  /** The campaign's targeting (schema/targeting.ts): `{}` is every visitor. */
  value: Targeting
  onChange: (value: Targeting) => void
  /** The API's field errors, by the request's paths (`targeting.include.all.0.values`). */
  errors?: FieldErrors
  /** The site whose segments the picker offers by name. */
  siteId?: string
  /** Where the targeting sits in the request, for error paths; `targeting` for a campaign. */
  path?: string
  /** The card's heading, where the screen's own heading already says "Audience and targeting". */
  title?: string
}

/** Who sees the campaign: a rule to show to, a rule never to show to, the two read as one sentence, and a tryout. */
export function TargetingEditor({
  value,
  onChange,
  errors,
  siteId,
  path = 'targeting',
  title = 'Audience and targeting',
}: TargetingEditorProps) {
  const segments = useSegments(siteId)
  const names = new Map(segments.map((segment) => [segment.key, segment.name]))
  const set = (key: 'include' | 'exclude', rule: Targeting['include']) => {
    const next: Targeting = { ...value }
    if (rule) next[key] = rule
    else delete next[key]
    onChange(next)
  }
  const [showExclude, setShowExclude] = useState(Boolean(value.exclude))
  return (
    <section class="card targeting" aria-labelledby="targeting-title">
      <h2 id="targeting-title">{title}</h2>
      <p class="targeting-sentence" aria-live="polite">
        <span class="visually-hidden">Who sees it: </span>
        {targetingSentence(value, names)}
      </p>
      <h3>Show to</h3>
      <RuleBuilder
        value={value.include}
        onChange={(rule) => set('include', rule)}
        fields={targetingFields}
        maxDepth={targetingDepth}
        path={`${path}.include`}
        label="Show to"
        errors={errors}
        segments={segments}
      />
      {showExclude || value.exclude ? (
        <>
          <h3>Never show to</h3>
          <RuleBuilder
            value={value.exclude}
            onChange={(rule) => set('exclude', rule)}
            fields={targetingFields}
            maxDepth={targetingDepth}
            path={`${path}.exclude`}
            label="Never show to"
            errors={errors}
            segments={segments}
          />
        </>
      ) : (
        <button type="button" class="button button-small" onClick={() => setShowExclude(true)}>
          Exclude some visitors
        </button>
      )}
      <details class="try-visitor-details">
        <summary>Try a visitor against these rules</summary>
        <TryVisitor value={value} segments={segments} />
      </details>
    </section>
  )
}
