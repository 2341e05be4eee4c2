import { fromLocalInput, toLocalInput } from '../../../admin/campaign-form'
import {
  Checks,
  ItemActions,
  type ItemProps,
  ListField,
  moveItem,
  numberText,
  numberValue,
  object,
  SelectField,
  setIn,
  strings,
  TextField,
  Toggle,
  textOf,
} from '../../../admin/config-fields'
import { Field, fieldId, NumberInput } from '../../../admin/field'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import { limits } from '../../../schema/limits'
import type { TrafficConfig } from '../config'

type Layout = TrafficConfig['layout']
type Goal = TrafficConfig['optimizationGoal']
type Destination = TrafficConfig['destinationType']
type Surface = TrafficConfig['placements'][number]

/* Each list as a Record, so the compiler keeps it in step with the schema's (../config.ts). */

const layoutLabels: Record<Layout, string> = { grid: 'Grid', carousel: 'Carousel', list: 'List' }
const goalLabels: Record<Goal, string> = {
  clicks: 'Clicks',
  landing_page_views: 'Landing page views',
  engaged_sessions: 'Engaged sessions',
}
const destinationLabels: Record<Destination, string> = {
  landing_page: 'Landing page',
  article: 'Article',
  product: 'Product',
  resource: 'Resource',
  webinar: 'Webinar',
  other: 'Other',
}
export const surfaceLabels: Record<Surface, string> = {
  inline: 'Inline, in the content',
  sidebar: 'Sidebar',
  recommendation: 'Recommendations block',
}

const scoringDefaults = { ctrWeight: 10, recencyDays: 7, recencyBoostPerDay: 0.5, seenPenalty: 0.5 }

/**
 * The config with the schema's defaults filled where it leaves them out, as the API saves it (the tests hold
 * this to the schema's own parse); the schema stays out of the admin bundle.
 */
export function withDefaults(config: Config): Config {
  return {
    destinationType: 'landing_page',
    placements: ['inline'],
    optimizationGoal: 'clicks',
    layout: 'grid',
    heading: 'You might also like',
    maxCards: 3,
    openInNewTab: false,
    appendUtm: true,
    ...config,
    cards: Array.isArray(config.cards) ? config.cards.map((card) => ({ topics: [], ...object(card) })) : [],
    scoring: { ...scoringDefaults, ...object(config.scoring) },
  }
}

/** Error-summary labels for config paths; the longest matching path wins. */
export const trafficLabels: Record<string, string> = {
  'config.layout': 'Layout',
  'config.heading': 'Heading',
  'config.maxCards': 'Cards shown',
  'config.placements': 'Surfaces',
  'config.optimizationGoal': 'Optimize for',
  'config.destinationType': 'Destination type',
  'config.destinationUrl': 'Destination',
  'config.openInNewTab': 'New tab',
  'config.appendUtm': 'UTM tags',
  'config.cards': 'Pinned cards',
  'config.scoring': 'Ranking',
  'config.scoring.ctrWeight': 'Weight of click rate',
  'config.scoring.recencyDays': 'Days counted as new',
  'config.scoring.recencyBoostPerDay': 'Boost per day newer',
  'config.scoring.seenPenalty': 'Penalty for pages read',
}

/** One pinned card: the page it links to, its title, words, image, badge, topics and date. */
function CardRow({
  item: card,
  index,
  count,
  errors,
  onChange,
  onMove,
  onRemove,
}: ItemProps<Record<string, unknown>>) {
  const path = `config.cards.${index}`
  const set = (key: string, value: unknown) => onChange(setIn(card, [key], value))
  const title = textOf(card.title)
  const text = (key: string, label: string, max: number, hint?: string) => (
    <TextField
      path={`${path}.${key}`}
      label={label}
      errors={errors}
      value={card[key]}
      max={max}
      kind={key === 'url' || key.endsWith('Url') ? 'url' : 'text'}
      onChange={(value) => set(key, value)}
      {...(hint ? { hint } : {})}
    />
  )
  return (
    <fieldset class="plain field config-item" id={fieldId(path)} tabIndex={-1}>
      <legend>
        Card {index + 1}
        {title ? `: ${title}` : ''}
      </legend>
      <div class="grid-2">
        {text('title', 'Title', limits.shortText)}
        {text('url', 'Links to', limits.url)}
        {text('description', 'Description', 300)}
        {text('badge', 'Badge', 24, '“New”, “Popular”… Optional.')}
        {text('imageUrl', 'Image address', limits.url)}
        {text('imageAlt', 'Image description', limits.shortText, 'For people who cannot see the image.')}
        <ListField
          path={`${path}.topics`}
          label="Topics"
          errors={errors}
          hint="Separated by commas; matched against what the visitor read lately."
          value={card.topics}
          onChange={(topics) => set('topics', topics)}
        />
        <Field path={`${path}.publishedAt`} label="Published" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="datetime-local"
              value={toLocalInput(textOf(card.publishedAt))}
              onInput={(event) => set('publishedAt', fromLocalInput(event.currentTarget.value) || undefined)}
            />
          )}
        </Field>
      </div>
      <ItemActions
        index={index}
        count={count}
        name={`card ${index + 1}`}
        onMove={onMove}
        onRemove={onRemove}
      />
    </fieldset>
  )
}

/**
 * A rail's settings: how it looks (layout, heading, how many cards), where it suits, what it optimizes for,
 * the cards pinned by hand (else the catalog's, ranked per visitor) and how the catalog is ranked. Paths follow
 * the API's, so its errors land on these fields.
 */
export function TrafficFields({ config, errors, onChange }: ConfigEditorProps) {
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  const cards = Array.isArray(config.cards) ? config.cards.map(object) : []
  const scoring = object(config.scoring)
  const setCards = (next: Record<string, unknown>[]) => set('cards', next)
  const select = <K extends string>(path: string, label: string, labels: Record<K, string>, fallback: K) => (
    <SelectField
      path={`config.${path}`}
      label={label}
      errors={errors}
      labels={labels}
      value={textOf(config[path]) || fallback}
      onChange={(value) => set(path, value)}
    />
  )
  const score = (key: keyof typeof scoringDefaults, label: string, max: number, step: number | 'any') => (
    <Field path={`config.scoring.${key}`} label={label} errors={errors}>
      {(control) => (
        <NumberInput
          control={control}
          min={0}
          max={max}
          step={step}
          value={numberText(scoring[key] ?? scoringDefaults[key])}
          onInput={(text) => set(`scoring.${key}`, numberValue(text))}
        />
      )}
    </Field>
  )
  return (
    <section class="card" aria-labelledby="traffic-title">
      <h2 id="traffic-title">Rail</h2>
      <div class="grid-2">
        {select('layout', 'Layout', layoutLabels, 'grid')}
        <Field path="config.maxCards" label="Cards shown" errors={errors}>
          {(control) => (
            <NumberInput
              control={control}
              min={1}
              max={12}
              value={numberText(config.maxCards ?? 3)}
              onInput={(text) => set('maxCards', numberValue(text))}
            />
          )}
        </Field>
        <Field path="config.heading" label="Heading" errors={errors}>
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={limits.shortText}
              value={typeof config.heading === 'string' ? config.heading : 'You might also like'}
              onInput={(event) => set('heading', event.currentTarget.value)}
            />
          )}
        </Field>
        {select('optimizationGoal', 'Optimize for', goalLabels, 'clicks')}
        {select('destinationType', 'Destination type', destinationLabels, 'landing_page')}
        <TextField
          path="config.destinationUrl"
          label="Destination"
          errors={errors}
          hint="Where a click goes when no card says; else the variant’s button link."
          value={config.destinationUrl}
          max={limits.url}
          kind="url"
          onChange={(value) => set('destinationUrl', value)}
        />
      </div>
      <Checks
        path="config.placements"
        legend="Surfaces it suits"
        labels={surfaceLabels}
        chosen={strings(config.placements ?? ['inline'])}
        errors={errors}
        hint="The slots it fills are the campaign’s placements."
        onChange={(chosen) => set('placements', chosen)}
      />
      <Toggle
        path="config.openInNewTab"
        label="Open cards in a new tab"
        checked={config.openInNewTab === true}
        errors={errors}
        onChange={(on) => set('openInNewTab', on)}
      />
      <Toggle
        path="config.appendUtm"
        label="Add UTM tags to card links (utm_source=promo, utm_medium=onsite)"
        checked={config.appendUtm !== false}
        errors={errors}
        onChange={(on) => set('appendUtm', on)}
      />

      <h3>Pinned cards</h3>
      <p class="field-hint">
        Without pinned cards the rail shows pages from the content catalog, ranked for each visitor.
      </p>
      {cards.map((card, index) => (
        <CardRow
          // Cards are edited in place: their position is their identity while the form is open.
          key={index}
          item={card}
          index={index}
          count={cards.length}
          errors={errors}
          onChange={(changed) => setCards(cards.map((c, i) => (i === index ? changed : c)))}
          onMove={(to) => setCards(moveItem(cards, index, to))}
          onRemove={() => setCards(cards.filter((_, i) => i !== index))}
        />
      ))}
      <button
        type="button"
        class="button button-small"
        disabled={cards.length >= 50}
        onClick={() => setCards([...cards, { title: '', url: '' }])}
      >
        Pin a card
      </button>

      <h3>Ranking the catalog</h3>
      <div class="grid-2">
        {score('ctrWeight', 'Weight of click rate', 100, 'any')}
        {score('recencyDays', 'Days counted as new', 365, 1)}
        {score('recencyBoostPerDay', 'Boost per day newer', 10, 'any')}
        {score('seenPenalty', 'Penalty for pages like those read (0–1)', 1, 'any')}
      </div>
    </section>
  )
}
