import type { ComponentType } from 'preact'
import type { Frequency } from '../schema/campaign'
import type { Decision } from '../schema/serve'
import type { Analytics, Site } from './api'
import type { BarListProps as Steps } from './bar-list'
import type { CreativeField } from './campaign-form'
import type { ChartMetric, Funnel } from './charts/shape'
import type { FieldErrors } from './field'
import type { Kpi } from './kpi-cards'

export type Config = Record<string, unknown>

/** What a type's config editor is handed: the config as edited so far, the API's errors by path, a setter. */
export interface ConfigEditorProps {
  config: Config
  /** The API's field errors, keyed by the request's paths (`config.poll.options.0.label`). */
  errors: FieldErrors
  onChange: (config: Config) => void
}

/** A screen a type adds to the admin, at `/admin/<path>` (and `/admin/<path>/<id>` when it has an item page). */
export interface TypeScreen {
  /** One path segment, unique across types. */
  path: string
  /** The main navigation's label; without one the screen is reached through links only. */
  nav?: string
  Screen: ComponentType<ScreenProps>
  /** The page for one item of the list, if the list has one. */
  Item?: ComponentType<{ id: string }>
}

export interface ScreenProps {
  sites: Site[]
  site: Site | undefined
  onSiteChange: (siteId: string) => void
}

export type Totals = Analytics['totals']

/** How the new-campaign flow offers a type: the objective in the marketer's words, and when to pick it. */
export interface Objective {
  /** "Collect leads". */
  title: string
  /** One sentence on when to use it. */
  when: string
}

/** A starting point for a new campaign of the type: a config the API accepts and the first variant's creative. */
export interface Template {
  /** Unique within its type. */
  id: string
  name: string
  /** One sentence: what it looks like and what it is for. */
  summary: string
  config: Config
  creative: Partial<Record<CreativeField, string>>
  /** Slot names, for a unit that fills a slot. */
  placements?: readonly string[]
}

/** The guided creation's steps between choosing the objective and the review. */
export const createSteps = ['creative', 'audience', 'triggers', 'schedule', 'delivery'] as const
export type CreateStep = (typeof createSteps)[number]

/**
 * Everything the generic admin needs to know about a campaign type. The campaign editor, list and results page
 * ask this and never name a type themselves.
 */
export interface AdminType {
  /** "Awareness", as the marketer reads it. */
  label: string
  /** One sentence for the new-campaign picker. */
  description: string
  /** The new-campaign flow's first step: the objective this type serves. */
  objective: Objective
  /** Good starting points for a new campaign; a blank one is always offered too. */
  templates?: readonly Template[]
  /** The guided creation's steps, in order; without it, every step but the trigger (units in a slot have none). */
  createSteps?: readonly CreateStep[]
  /** The config a new campaign of this type starts with. */
  defaultConfig: () => Config
  /** The caps the API gives a new campaign of this type (schema/campaign.ts `defaultFrequency`); else uncapped. */
  defaultFrequency?: Frequency
  /** The holdout the API gives a new campaign of this type (schema/types/index.ts `defaultExperiment`); else 0. */
  defaultHoldoutPercent?: number
  /** Fields for the type's `config`; without one the config is edited as JSON. */
  ConfigEditor?: ComponentType<ConfigEditorProps>
  /** Labels for config error paths (`config.poll.question` → "Poll question"), for the error summary. */
  configLabels?: Record<string, string>
  /**
   * Who the config itself shows the campaign to, as a sentence ("Visitors who left a cart in the last 7 days."),
   * for a type whose config has an audience of its own (remarketing): the review puts it before the targeting,
   * which narrows it further.
   */
  audience?: (config: Config) => string | undefined
  /** The unit's format for this config (slot formats need placements); defaults to `config.format`. */
  format?: (config: Config) => string | undefined
  /**
   * The config holds a `trigger` (schema/trigger.ts) that page-level formats (popups, bars, slide-ins) wait
   * for: the campaign editor then shows the trigger editor for them.
   */
  triggered?: boolean
  /** The creative fields the type's unit shows (the rest are not offered); all of them when absent. */
  creativeFields?: readonly CreativeField[]
  /** How the unit looks, given what the SDK would be handed; without one the editor shows no preview. */
  Preview?: ComponentType<{ decision: Decision }>
  /** The type's own KPI cards, after the numbers every campaign has. */
  kpis?: (totals: Totals) => Kpi[]
  /** The type's step-by-step lists (funnels, results by option), those with data. */
  steps?: (totals: Totals) => Steps[]
  /** Its funnels (a form's views → starts → submits), drawn as bar charts by the results page. */
  funnels?: (totals: Totals) => Funnel[]
  /** Numbers its analytics add to each series bucket, charted over time beside the shared ones. */
  chartMetrics?: readonly ChartMetric[]
  /** Screens the type brings (a leads list, a moderation queue). */
  screens?: TypeScreen[]
}
