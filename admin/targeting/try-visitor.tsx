import { useState } from 'preact/hooks'
import type { Rule, Targeting } from '../../schema/targeting'
import { countryOptions, languageOptions } from './codes'
import { conditionPhrase } from './describe'
import { type SampleVisitor, targetingAdmits, type Verdict, verdicts } from './evaluate'
import type { SegmentOption } from './rule-builder'
import { utmKeys } from './rules'

/** The sample visitor as typed. */
interface VisitorForm {
  country: string
  language: string
  device: string
  url: string
  referrer: string
  utm: Record<string, string>
  segments: string[]
  returning: boolean
  pages: string
  traits: string
}

const startingVisitor = (): VisitorForm => ({
  country: 'US',
  language: 'en',
  device: 'mobile',
  url: 'https://shop.example/?utm_source=newsletter',
  referrer: '',
  utm: {},
  segments: [],
  returning: false,
  pages: '1',
  traits: '',
})

/** `plan=pro, visits=3, vip=true`: numbers and true/false are typed as such, the rest is text. */
export function parseTraits(text: string): Record<string, string | number | boolean> {
  const traits: Record<string, string | number | boolean> = {}
  for (const pair of text.split(',')) {
    const at = pair.indexOf('=')
    if (at < 1) continue
    const key = pair.slice(0, at).trim()
    const raw = pair.slice(at + 1).trim()
    const number = raw === '' ? Number.NaN : Number(raw)
    traits[key] = raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(number) ? number : raw
  }
  return traits
}

/** The visitor the rules see: UTM values come from the page address unless typed, lower case as the API keeps them. */
export function sampleFrom(form: VisitorForm): SampleVisitor {
  const utm: Partial<Record<string, string>> = {}
  try {
    const params = new URL(form.url).searchParams
    for (const key of utmKeys) {
      const value = params.get(key)?.trim().toLowerCase()
      if (value) utm[key] = value
    }
  } catch {
    // Not an absolute address: no UTM values from it.
  }
  for (const key of utmKeys) {
    const typed = form.utm[key]?.trim().toLowerCase()
    if (typed) utm[key] = typed
  }
  const pages = Number(form.pages)
  return {
    ...(form.country ? { country: form.country } : {}),
    ...(form.language ? { language: form.language } : {}),
    ...(form.device ? { device: form.device } : {}),
    ...(form.url.trim() ? { url: form.url.trim() } : {}),
    ...(form.referrer.trim() ? { referrer: form.referrer.trim() } : {}),
    utm,
    segments: form.segments,
    returning: form.returning,
    ...(Number.isInteger(pages) && pages > 0 ? { pages } : {}),
    traits: parseTraits(form.traits),
  }
}

function nodeLabel(rule: Rule, names: ReadonlyMap<string, string>): string {
  if ('all' in rule) return 'All of these'
  if ('any' in rule) return 'Any of these'
  if ('not' in rule) return 'Not the following'
  return conditionPhrase(rule, names)
}

function VerdictList({
  title,
  list,
  names,
}: {
  title: string
  list: Verdict[]
  names: ReadonlyMap<string, string>
}) {
  return (
    <>
      <h4>{title}</h4>
      <ul class="verdicts">
        {list.map((verdict) => (
          <li
            key={verdict.path}
            class={verdict.holds ? 'verdict-pass' : 'verdict-fail'}
            style={{ marginInlineStart: `${verdict.depth * 1.25}rem` }}
          >
            <span class="verdict-mark">{verdict.holds ? 'Yes' : 'No'}</span> {nodeLabel(verdict.rule, names)}
          </li>
        ))}
      </ul>
    </>
  )
}

interface TryVisitorProps {
  /** The targeting as edited so far (saved or not). */
  value: Targeting
  /** The site's segments, for the visitor's segment boxes. */
  segments?: readonly SegmentOption[]
}

/**
 * "Why this decision", before saving: a made-up visitor tried against the rules in the browser, each rule
 * marked as it holds or not. Caps, schedule and competing campaigns are the saved campaign's trace's business.
 */
export function TryVisitor({ value, segments = [] }: TryVisitorProps) {
  const [form, setForm] = useState(startingVisitor)
  const update = (patch: Partial<VisitorForm>) => setForm((current) => ({ ...current, ...patch }))
  const visitor = sampleFrom(form)
  const names = new Map(segments.map((segment) => [segment.key, segment.name]))
  const admitted = targetingAdmits(value, visitor)
  const id = (name: string) => `try-visitor-${name}`
  const text = (name: 'url' | 'referrer' | 'pages' | 'traits', label: string, hint?: string) => (
    <div class="field">
      <label for={id(name)}>{label}</label>
      <input
        id={id(name)}
        type="text"
        inputMode={name === 'pages' ? 'numeric' : undefined}
        spellcheck={false}
        value={form[name]}
        onInput={(event) => update({ [name]: event.currentTarget.value })}
        aria-describedby={hint ? `${id(name)}-hint` : undefined}
      />
      {hint && (
        <p class="field-hint" id={`${id(name)}-hint`}>
          {hint}
        </p>
      )}
    </div>
  )
  return (
    <div class="try-visitor">
      <div class="grid-2">
        <div class="field">
          <label for={id('country')}>Country</label>
          <select
            id={id('country')}
            value={form.country}
            onChange={(event) => update({ country: event.currentTarget.value })}
          >
            <option value="">Unknown</option>
            {countryOptions().map((option) => (
              <option key={option.code} value={option.code}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id('language')}>Language</label>
          <select
            id={id('language')}
            value={form.language}
            onChange={(event) => update({ language: event.currentTarget.value })}
          >
            <option value="">Unknown</option>
            {languageOptions().map((option) => (
              <option key={option.code} value={option.code}>
                {option.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={id('device')}>Device</label>
          <select
            id={id('device')}
            value={form.device}
            onChange={(event) => update({ device: event.currentTarget.value })}
          >
            <option value="mobile">Mobile</option>
            <option value="tablet">Tablet</option>
            <option value="desktop">Computer</option>
          </select>
        </div>
        {text('pages', 'Pages seen this visit')}
      </div>
      {text('url', 'Page address', 'UTM values in it count, as on the site.')}
      {text('referrer', 'Referrer')}
      <div class="grid-2">
        {utmKeys.slice(0, 3).map((key) => (
          <div class="field" key={key}>
            <label for={id(key)}>{key}</label>
            <input
              id={id(key)}
              type="text"
              spellcheck={false}
              value={form.utm[key] ?? ''}
              onInput={(event) => update({ utm: { ...form.utm, [key]: event.currentTarget.value } })}
            />
          </div>
        ))}
      </div>
      {text('traits', 'Traits', 'Comma separated, e.g. plan=pro, visits=3, vip=true')}
      <div class="checkbox">
        <input
          id={id('returning')}
          type="checkbox"
          checked={form.returning}
          onChange={(event) => update({ returning: event.currentTarget.checked })}
        />
        <label for={id('returning')}>Has visited before</label>
      </div>
      {segments.length > 0 && (
        <fieldset class="plain checks">
          <legend>In the segments</legend>
          {segments.map((segment) => (
            <div class="checkbox" key={segment.key}>
              <input
                id={id(`segment-${segment.key}`)}
                type="checkbox"
                checked={form.segments.includes(segment.key)}
                onChange={(event) =>
                  update({
                    segments: event.currentTarget.checked
                      ? [...form.segments, segment.key]
                      : form.segments.filter((key) => key !== segment.key),
                  })
                }
              />
              <label for={id(`segment-${segment.key}`)}>{segment.name}</label>
            </div>
          ))}
        </fieldset>
      )}
      <p class={admitted ? 'alert try-verdict try-pass' : 'alert try-verdict try-fail'} role="status">
        {admitted
          ? 'This visitor would be shown the campaign.'
          : 'This visitor would not be shown the campaign.'}
      </p>
      {value.include && (
        <VerdictList title="Show to" list={verdicts(value.include, visitor, 'include')} names={names} />
      )}
      {value.exclude && (
        <VerdictList title="Never show to" list={verdicts(value.exclude, visitor, 'exclude')} names={names} />
      )}
      <p class="field-hint">
        Only the targeting is tried here; caps, the schedule and other campaigns decide too. Save and use “Why
        this decision” for a real serve.
      </p>
    </div>
  )
}
