import { useState } from 'preact/hooks'
import { fromLocalInput, toLocalInput } from '../../../admin/campaign-form'
import {
  Checks,
  keys,
  numberText,
  numberValue,
  object,
  setIn,
  strings,
  Toggle,
  textOf,
} from '../../../admin/config-fields'
import { Field, fieldId, NumberInput } from '../../../admin/field'
import type { Config, ConfigEditorProps } from '../../../admin/promotion-type'
import { limits } from '../../../schema/limits'
import type { EngagementConfig } from '../config'

type Action = EngagementConfig['engagementTypes'][number]
type Network = EngagementConfig['share']['networks'][number]
type Reaction = EngagementConfig['reactions'][number]
type ContentType = EngagementConfig['contentType']
type ShowResults = NonNullable<EngagementConfig['poll']>['showResults']
type PollOption = NonNullable<EngagementConfig['poll']>['options'][number]

/* Each list as a Record, so the compiler keeps it in step with the schema's (schema/types/engagement.ts). */

/** `rsvp` is offer/event campaigns': engagement has no action for it, so it is not offered. */
export const actionLabels: Record<Exclude<Action, 'rsvp'>, string> = {
  like: 'Like',
  react: 'Reactions',
  share: 'Share',
  comment: 'Comments',
  vote: 'Poll',
}

export const networkLabels: Record<Network, string> = {
  facebook: 'Facebook',
  x: 'X',
  linkedin: 'LinkedIn',
  email: 'Email',
  copy: 'Copy link',
  webshare: 'Phone share sheet',
}

export const reactionLabels: Record<Reaction, string> = {
  like: '👍 Like',
  love: '❤️ Love',
  haha: '😆 Haha',
  wow: '😮 Wow',
  sad: '😢 Sad',
  angry: '😠 Angry',
}

const contentTypeLabels: Record<ContentType, string> = {
  page: 'Page',
  article: 'Article',
  video: 'Video',
  product: 'Product',
  event: 'Event',
  feature: 'Feature',
}

const showResultsLabels: Record<ShowResults, string> = {
  after_vote: 'After the visitor has voted',
  always: 'Always, before voting too',
  never: 'Never (you see them under Results)',
}

/** The config's defaults as the schema fills them, so the editor shows what a campaign will do. */
export function defaultEngagementConfig(): Config {
  return {
    engagementTypes: ['like', 'share'],
    contentType: 'page',
    reactions: ['like', 'love', 'haha', 'wow'],
    share: { networks: keys(networkLabels), hashtags: [] },
    comments: { maxLength: 500, showRecent: 5, moderation: 'post' },
    showCounts: true,
  }
}

/**
 * The config with the schema's defaults filled where it leaves them out, as the API serves it to the widget. The
 * schema itself stays out of the admin bundle (zod with everything it pulls in is most of a megabyte); the tests
 * hold this to the schema's own parse.
 */
export function withDefaults(config: Config): Config {
  const defaults = defaultEngagementConfig()
  const filled: Config = { ...defaults, ...config }
  filled.share = { ...object(defaults.share), ...object(config.share) }
  filled.comments = { ...object(defaults.comments), ...object(config.comments) }
  if (config.poll !== undefined)
    filled.poll = { allowMultiple: false, showResults: 'after_vote', ...object(config.poll) }
  return filled
}

/** Error-summary labels for config paths; the longest matching path wins (editor.locateConfig). */
export const engagementLabels: Record<string, string> = {
  'config.engagementTypes': 'What visitors can do',
  'config.contentId': 'Content id',
  'config.contentType': 'Content type',
  'config.contentUrl': 'Content address',
  'config.reactions': 'Reactions',
  'config.share': 'Sharing',
  'config.share.networks': 'Share networks',
  'config.share.url': 'Shared link',
  'config.share.text': 'Share text',
  'config.share.hashtags': 'Hashtags',
  'config.poll': 'Poll',
  'config.poll.question': 'Poll question',
  'config.poll.options': 'Poll options',
  'config.poll.allowMultiple': 'Several answers',
  'config.poll.showResults': 'Show results',
  'config.poll.closesAt': 'Poll closes',
  'config.comments': 'Comments',
  'config.comments.maxLength': 'Longest comment',
  'config.comments.showRecent': 'Recent comments shown',
  'config.comments.moderation': 'Moderation',
  'config.showCounts': 'Show counts',
}

/** The options of a poll as the editor lists them. */
function optionsOf(poll: Record<string, unknown>): PollOption[] {
  if (!Array.isArray(poll.options)) return []
  return poll.options.map((option) => {
    const o = object(option)
    return { id: textOf(o.id), label: textOf(o.label) }
  })
}

/** An option id not yet taken: option-1, option-2… */
function freeOptionId(options: PollOption[]): string {
  const taken = new Set(options.map((option) => option.id))
  for (let n = 1; ; n += 1) if (!taken.has(`option-${n}`)) return `option-${n}`
}

function newPoll(): Config {
  return {
    question: '',
    options: [
      { id: 'option-1', label: '' },
      { id: 'option-2', label: '' },
    ],
    allowMultiple: false,
    showResults: 'after_vote',
  }
}

/**
 * An engagement unit's settings: what visitors can do (like, react, share, comment, vote), what they engage
 * with, and each action's options. Paths follow the API's, so its errors land on these fields.
 */
export function EngagementFields({ config, errors, onChange }: ConfigEditorProps) {
  const actions = strings(config.engagementTypes)
  const share = object(config.share)
  const poll = object(config.poll)
  const comments = object(config.comments)
  const options = optionsOf(poll)
  const set = (path: string, value: unknown) => onChange(setIn(config, path.split('.'), value))
  const has = (action: Action) => actions.includes(action)
  // Hashtags are typed as one line; the config keeps the list. The line is kept as typed while it is edited.
  const [hashtagText, setHashtagText] = useState(() => strings(share.hashtags).join(', '))

  const chooseActions = (next: string[]) => {
    let updated = setIn(config, ['engagementTypes'], next)
    // A vote needs a poll: one is started when voting is turned on, and dropped when it is turned off.
    if (next.includes('vote') && !config.poll) updated = setIn(updated, ['poll'], newPoll())
    if (!next.includes('vote')) updated = setIn(updated, ['poll'], undefined)
    onChange(updated)
  }
  const setOptions = (next: PollOption[]) => set('poll.options', next)
  const pollError = errors.get('config.poll')

  return (
    <section class="card" aria-labelledby="engagement-title">
      <h2 id="engagement-title">Engagement</h2>
      <Checks
        path="config.engagementTypes"
        legend="What visitors can do"
        labels={actionLabels}
        chosen={actions}
        errors={errors}
        onChange={chooseActions}
      />

      <h3>What they engage with</h3>
      <div class="grid-2">
        <Field
          path="config.contentId"
          label="Content id"
          errors={errors}
          hint="Likes, shares and votes are counted per content id. Empty: per campaign."
        >
          {(control) => (
            <input
              {...control}
              type="text"
              maxLength={limits.id}
              spellcheck={false}
              value={textOf(config.contentId)}
              onInput={(event) => set('contentId', event.currentTarget.value.trim() || undefined)}
            />
          )}
        </Field>
        <Field path="config.contentType" label="Content type" errors={errors}>
          {(control) => (
            <select
              {...control}
              value={textOf(config.contentType) || 'page'}
              onChange={(event) => set('contentType', event.currentTarget.value)}
            >
              {keys(contentTypeLabels).map((key) => (
                <option key={key} value={key}>
                  {contentTypeLabels[key]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        path="config.contentUrl"
        label="Content address"
        errors={errors}
        hint="The page shares link to, unless Sharing sets its own link. Empty: the page the visitor is on."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="url"
            spellcheck={false}
            maxLength={limits.url}
            value={textOf(config.contentUrl)}
            onInput={(event) => set('contentUrl', event.currentTarget.value.trim() || undefined)}
          />
        )}
      </Field>

      {has('react') && (
        <Checks
          path="config.reactions"
          legend="Reactions offered"
          labels={reactionLabels}
          chosen={strings(config.reactions)}
          errors={errors}
          onChange={(next) => set('reactions', next)}
        />
      )}

      {has('share') && (
        <>
          <h3>Sharing</h3>
          <Checks
            path="config.share.networks"
            legend="Share to"
            labels={networkLabels}
            chosen={strings(share.networks)}
            errors={errors}
            hint="The phone share sheet appears only where the browser has one."
            onChange={(next) => set('share.networks', next)}
          />
          <Field
            path="config.share.url"
            label="Shared link"
            errors={errors}
            hint="Empty: the content address."
          >
            {(control) => (
              <input
                {...control}
                type="text"
                inputMode="url"
                spellcheck={false}
                maxLength={limits.url}
                value={textOf(share.url)}
                onInput={(event) => set('share.url', event.currentTarget.value.trim() || undefined)}
              />
            )}
          </Field>
          <Field
            path="config.share.text"
            label="Share text"
            errors={errors}
            hint="Up to 280 characters, plain text."
          >
            {(control) => (
              <textarea
                {...control}
                rows={2}
                maxLength={280}
                value={textOf(share.text)}
                onInput={(event) => set('share.text', event.currentTarget.value || undefined)}
              />
            )}
          </Field>
          <Field
            path="config.share.hashtags"
            label="Hashtags"
            errors={errors}
            hint="Comma separated, without #; up to 10."
          >
            {(control) => (
              <input
                {...control}
                type="text"
                spellcheck={false}
                value={hashtagText}
                onInput={(event) => {
                  const typed = event.currentTarget.value
                  setHashtagText(typed)
                  const tags = typed
                    .split(',')
                    .map((tag) => tag.trim().replace(/^#/, ''))
                    .filter(Boolean)
                  set('share.hashtags', tags)
                }}
              />
            )}
          </Field>
        </>
      )}

      {has('vote') && (
        <>
          <h3 id={fieldId('config.poll')} tabIndex={-1}>
            Poll
          </h3>
          {pollError && <p class="field-error">{pollError}</p>}
          <Field path="config.poll.question" label="Question" errors={errors}>
            {(control) => (
              <input
                {...control}
                type="text"
                maxLength={200}
                value={textOf(poll.question)}
                onInput={(event) => set('poll.question', event.currentTarget.value)}
              />
            )}
          </Field>
          <fieldset class="plain field" aria-describedby="poll-answers-hint">
            <legend>Answers</legend>
            <p class="field-hint" id="poll-answers-hint">
              Votes are counted by each answer's id: keep the ids once the poll runs.
            </p>
            {options.map((option, index) => (
              <div class="grid-2 poll-option" key={index}>
                <Field
                  path={`config.poll.options.${index}.label`}
                  label={`Answer ${index + 1}`}
                  errors={errors}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      maxLength={100}
                      value={option.label}
                      onInput={(event) =>
                        setOptions(
                          options.map((o, i) =>
                            i === index ? { ...o, label: event.currentTarget.value } : o,
                          ),
                        )
                      }
                    />
                  )}
                </Field>
                <Field
                  path={`config.poll.options.${index}.id`}
                  label={`Answer ${index + 1} id`}
                  errors={errors}
                >
                  {(control) => (
                    <input
                      {...control}
                      type="text"
                      maxLength={32}
                      spellcheck={false}
                      value={option.id}
                      onInput={(event) =>
                        setOptions(
                          options.map((o, i) => (i === index ? { ...o, id: event.currentTarget.value } : o)),
                        )
                      }
                    />
                  )}
                </Field>
                {options.length > 2 && (
                  <button
                    type="button"
                    class="button button-quiet button-small"
                    onClick={() => setOptions(options.filter((_, i) => i !== index))}
                  >
                    Remove answer {index + 1}
                  </button>
                )}
              </div>
            ))}
            {options.length < 10 && (
              <button
                type="button"
                class="button button-small"
                id={fieldId('config.poll.options')}
                onClick={() => setOptions([...options, { id: freeOptionId(options), label: '' }])}
              >
                Add an answer
              </button>
            )}
            {errors.get('config.poll.options') && (
              <p class="field-error">{errors.get('config.poll.options')}</p>
            )}
          </fieldset>
          <Toggle
            path="config.poll.allowMultiple"
            label="Visitors may pick several answers"
            checked={poll.allowMultiple === true}
            errors={errors}
            onChange={(checked) => set('poll.allowMultiple', checked)}
          />
          <div class="grid-2">
            <Field path="config.poll.showResults" label="Show results" errors={errors}>
              {(control) => (
                <select
                  {...control}
                  value={textOf(poll.showResults) || 'after_vote'}
                  onChange={(event) => set('poll.showResults', event.currentTarget.value)}
                >
                  {keys(showResultsLabels).map((key) => (
                    <option key={key} value={key}>
                      {showResultsLabels[key]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              path="config.poll.closesAt"
              label="Poll closes"
              errors={errors}
              hint="Empty: it stays open."
            >
              {(control) => (
                <input
                  {...control}
                  type="datetime-local"
                  value={toLocalInput(textOf(poll.closesAt)) || textOf(poll.closesAt)}
                  onInput={(event) => set('poll.closesAt', fromLocalInput(event.currentTarget.value))}
                />
              )}
            </Field>
          </div>
        </>
      )}

      {has('comment') && (
        <>
          <h3>Comments</h3>
          <div class="grid-2">
            <Field
              path="config.comments.maxLength"
              label="Longest comment"
              errors={errors}
              hint={`Characters, up to ${limits.text}.`}
            >
              {(control) => (
                <NumberInput
                  control={control}
                  min={1}
                  max={limits.text}
                  value={numberText(comments.maxLength)}
                  onInput={(text) => set('comments.maxLength', numberValue(text))}
                />
              )}
            </Field>
            <Field
              path="config.comments.showRecent"
              label="Recent comments shown"
              errors={errors}
              hint="0 to 50; 0 lists none."
            >
              {(control) => (
                <NumberInput
                  control={control}
                  min={0}
                  max={50}
                  value={numberText(comments.showRecent)}
                  onInput={(text) => set('comments.showRecent', numberValue(text))}
                />
              )}
            </Field>
          </div>
          <Field
            path="config.comments.moderation"
            label="Moderation"
            errors={errors}
            hint="Held comments wait under Comments until someone approves them."
          >
            {(control) => (
              <select
                {...control}
                value={textOf(comments.moderation) || 'post'}
                onChange={(event) => set('comments.moderation', event.currentTarget.value)}
              >
                <option value="post">Publish at once; remove afterwards if needed</option>
                <option value="pre">Hold each comment until approved</option>
              </select>
            )}
          </Field>
        </>
      )}

      <Toggle
        path="config.showCounts"
        label="Show counts to visitors"
        checked={config.showCounts !== false}
        errors={errors}
        onChange={(checked) => set('showCounts', checked)}
      />
    </section>
  )
}
