import { fieldId } from '../../../admin/field'
import { formatDateTime } from '../../../admin/format'
import type { Decision } from '../../../schema/serve'
import { actionLabels, networkLabels, reactionLabels } from './editor'

const object = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
const textOf = (value: unknown): string => (typeof value === 'string' ? value : '')
const labelOf = (labels: Record<string, string>, key: string) => labels[key] ?? key

/**
 * How the engagement unit will look, drawn from the same config and creative the widget is handed: each action
 * the config turns on, in its order, with its options. Counts start at 0 (the preview records nothing), and every
 * text is shown as text. The controls are inert: nothing is sent from the preview.
 */
export function EngagementPreview({ decision }: { decision: Decision }) {
  const { config, creative } = decision
  const actions = strings(config.engagementTypes)
  const share = object(config.share)
  const poll = object(config.poll)
  const comments = object(config.comments)
  const counts = config.showCounts !== false
  const options = Array.isArray(poll.options) ? poll.options.map(object) : []
  const multiple = poll.allowMultiple === true
  const closesAt = textOf(poll.closesAt)
  const maxLength = typeof comments.maxLength === 'number' ? comments.maxLength : 500
  const showRecent = typeof comments.showRecent === 'number' ? comments.showRecent : 5
  const count = (n: number) => (counts ? <span class="eng-count">{n}</span> : null)

  return (
    <section class="preview" aria-labelledby="preview-title">
      <div class="preview-bar">
        <h2 id="preview-title">Preview</h2>
      </div>
      <div class="preview-frame preview-desktop">
        <div class="preview-stage" data-format="inline">
          <div class="mock-nav" aria-hidden="true" />
          <div class="mock-line mock-wide" aria-hidden="true" />
          <div class="preview-slot">
            <div class="eng-preview" data-testid="engagement-preview">
              <p class="eng-headline">{textOf(creative.headline) || 'Your headline'}</p>
              {creative.body && <p class="eng-body">{textOf(creative.body)}</p>}
              <div class="eng-actions">
                {actions.includes('like') && (
                  <button type="button" disabled>
                    {labelOf(actionLabels, 'like')} {count(0)}
                  </button>
                )}
                {actions.includes('react') &&
                  strings(config.reactions).map((reaction) => (
                    <button type="button" disabled key={reaction}>
                      {labelOf(reactionLabels, reaction)} {count(0)}
                    </button>
                  ))}
                {actions.includes('rsvp') && (
                  <button type="button" disabled>
                    I’m going {count(0)}
                  </button>
                )}
              </div>
              {actions.includes('share') && (
                <div class="eng-share">
                  <span>Share{counts ? ' (0)' : ''}:</span>
                  {strings(share.networks).map((network) => (
                    <button type="button" disabled key={network}>
                      {labelOf(networkLabels, network)}
                    </button>
                  ))}
                  {textOf(share.text) && <p class="eng-note">Shared with: “{textOf(share.text)}”</p>}
                  {strings(share.hashtags).length > 0 && (
                    <p class="eng-note">
                      {strings(share.hashtags)
                        .map((tag) => `#${tag}`)
                        .join(' ')}
                    </p>
                  )}
                </div>
              )}
              {actions.includes('vote') && (
                <fieldset class="eng-poll" disabled>
                  <legend>{textOf(poll.question) || 'Your question'}</legend>
                  {options.map((option, index) => (
                    <label key={`${textOf(option.id)}-${index}`}>
                      <input type={multiple ? 'checkbox' : 'radio'} name="eng-preview-poll" />{' '}
                      {textOf(option.label) || `Answer ${index + 1}`}
                    </label>
                  ))}
                  <button type="button">Vote</button>
                  <p class="eng-note">
                    {poll.showResults === 'always'
                      ? 'Results are shown to everyone.'
                      : poll.showResults === 'never'
                        ? 'Results are not shown to visitors.'
                        : 'Results appear once the visitor has voted.'}
                    {closesAt ? ` Closes ${formatDateTime(closesAt)}.` : ''}
                  </p>
                </fieldset>
              )}
              {actions.includes('comment') && (
                <div class="eng-comments">
                  <label for={fieldId('preview-comment')}>Comment{counts ? ' (0)' : ''}</label>
                  <textarea id={fieldId('preview-comment')} rows={2} maxLength={maxLength} disabled />
                  <p class="eng-note">
                    Up to {maxLength} characters.{' '}
                    {comments.moderation === 'pre'
                      ? 'Each comment waits for approval before it appears.'
                      : 'Comments appear at once.'}{' '}
                    {showRecent > 0 ? `The ${showRecent} latest are listed here.` : 'None are listed.'}
                  </p>
                </div>
              )}
            </div>
          </div>
          <div class="mock-line mock-wide" aria-hidden="true" />
          <div class="mock-line" aria-hidden="true" />
        </div>
      </div>
      <div class="preview-footer">
        <p class="muted" role="status">
          Shown in the “{decision.slot ?? 'preview'}” slot. Nothing is sent from the preview.
        </p>
      </div>
    </section>
  )
}
