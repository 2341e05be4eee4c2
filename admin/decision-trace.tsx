import { useState } from 'preact/hooks'
import { ApiError, api, type Campaign, type DecisionTrace, type TraceEntry } from './api'
import { needsPlacements } from './campaign-form'
import { adminTypeOf } from './promotions'
import { statusLabels } from './status'
import { reasonSentence } from './trace-reasons'

const visitorKey = 'promo.admin.previewVisitor'
let visitorInMemory = ''

function randomVisitor(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8))
  return `admin-preview-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`
}

/**
 * The visitor the trace serves as. A traced serve really claims (it counts toward caps), so it is the admin's
 * own made-up visitor, kept for the browser session so its caps fill up as a real visitor's would.
 */
function previewVisitor({ fresh = false } = {}): string {
  try {
    const kept = fresh ? null : sessionStorage.getItem(visitorKey)
    if (kept) return kept
    const id = randomVisitor()
    sessionStorage.setItem(visitorKey, id)
    return id
  } catch {
    if (fresh || !visitorInMemory) visitorInMemory = randomVisitor()
    return visitorInMemory
  }
}

/** Where a campaign competes: a slot for slot formats, else its page position (the engine's names). */
type Place = { slot: string } | { position: string }

function placeOf(campaign: Campaign): Place | undefined {
  const type = adminTypeOf(campaign.type)
  const own = type?.format ? type.format(campaign.config) : campaign.config.format
  const format = typeof own === 'string' ? own : 'inline'
  if (!needsPlacements(format)) return { position: format === 'sticky' ? 'sticky_bottom' : format }
  const slot = campaign.placements[0]
  return slot === undefined ? undefined : { slot }
}

const positionLabels: Record<string, string> = {
  popup: 'Popup',
  sticky_bottom: 'Bar at the bottom',
  sticky_top: 'Bar at the top',
  slide_in: 'Slide-in',
}

const placeKey = (where: { slot?: string; position?: string }) =>
  where.slot !== undefined ? `slot:${where.slot}` : `position:${where.position ?? ''}`

function placeTitle(entry: TraceEntry): string {
  if (entry.slot !== undefined) return `Slot “${entry.slot}”`
  return positionLabels[entry.position ?? ''] ?? `Page position “${entry.position ?? ''}”`
}

/** The trace by place, the campaign's own place first; in each, the chosen campaign, then the rest in order. */
function tracePlaces(trace: TraceEntry[], own: Place): TraceEntry[][] {
  const places = new Map<string, TraceEntry[]>([[placeKey(own), []]])
  for (const entry of trace) {
    const key = placeKey(entry)
    const list = places.get(key)
    if (list) list.push(entry)
    else places.set(key, [entry])
  }
  const chosenFirst = (a: TraceEntry, b: TraceEntry) =>
    Number(b.outcome === 'chosen') - Number(a.outcome === 'chosen')
  return [...places.values()].filter((list) => list.length > 0).map((list) => list.sort(chosenFirst))
}

type Run =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; answer: DecisionTrace }
  | { state: 'failed'; message: string }

interface DecisionTracePanelProps {
  /** As saved: the server decides with what is stored, not with unsaved edits. */
  campaign: Campaign
  /** The publishable key of the campaign's site. */
  siteKey: string | undefined
  dirty: boolean
}

/** "Why this decision": a traced serve as the admin's preview visitor, explained place by place. */
export function DecisionTracePanel({ campaign, siteKey, dirty }: DecisionTracePanelProps) {
  const [url, setUrl] = useState('')
  const [run, setRun] = useState<Run>({ state: 'idle' })
  const [notice, setNotice] = useState('')
  const own = placeOf(campaign)

  const trace = async (event: Event) => {
    event.preventDefault()
    if (!own || !siteKey) return
    setNotice('')
    setRun({ state: 'running' })
    const visitor = previewVisitor()
    try {
      const answer = await api.traceServe({
        site: siteKey,
        slots: 'slot' in own ? [own.slot] : [],
        context: url.trim() ? { url: url.trim() } : {},
        anonymousId: visitor,
        sessionId: visitor,
      })
      setRun({ state: 'done', answer })
    } catch (error) {
      setRun({
        state: 'failed',
        message: error instanceof ApiError ? error.message : 'The decision could not be traced.',
      })
    }
  }

  const startOver = () => {
    previewVisitor({ fresh: true })
    setRun({ state: 'idle' })
    setNotice('The next run is a new visitor, with no views counted yet.')
  }

  const answer = run.state === 'done' ? run.answer : undefined
  const competes = answer?.trace.some((entry) => entry.campaignId === campaign.id)

  return (
    <section class="card trace" aria-labelledby="trace-title">
      <h2 id="trace-title">Why this decision</h2>
      {!siteKey ? (
        <p class="muted">The campaign’s site is not among yours, so its decisions cannot be traced here.</p>
      ) : !own ? (
        <p class="muted">Add a placement and save to see what a visitor would get in it.</p>
      ) : (
        <form onSubmit={trace}>
          <div class="field">
            <label for="trace-url">Page address (optional)</label>
            <input
              id="trace-url"
              type="url"
              spellcheck={false}
              placeholder="https://shop.example/sale"
              value={url}
              onInput={(event) => setUrl(event.currentTarget.value)}
              aria-describedby="trace-url-hint"
            />
            <p class="field-hint" id="trace-url-hint">
              Country and device are those of your own connection and browser.
            </p>
          </div>
          <div class="row">
            <button type="submit" class="button" disabled={run.state === 'running'}>
              {run.state === 'running' ? 'Tracing…' : 'Trace a visit'}
            </button>
            <button type="button" class="button button-quiet" onClick={startOver}>
              New preview visitor
            </button>
          </div>
          <p class="field-hint">
            Each run counts as a view for your own preview visitor (never a real one), so caps fill up as they
            would on the site.
            {dirty && ' It uses the saved campaign: save to trace your changes.'}
          </p>
        </form>
      )}
      <p class="visually-hidden" role="status">
        {run.state === 'done' ? 'Trace ready.' : notice}
      </p>
      {notice && <p class="muted">{notice}</p>}
      {run.state === 'failed' && (
        <p class="alert alert-error" role="alert">
          {run.message}
        </p>
      )}
      {answer && own && (
        <div class="trace-result">
          {answer.store === 'unavailable' && (
            <p class="alert" role="alert">
              The visitor store did not answer, so this is the fallback decision: caps, pacing and audience
              rules could not be checked as usual.
            </p>
          )}
          {!competes && (
            <p class="muted">
              {campaign.status === 'active'
                ? 'This campaign did not compete on this visit.'
                : `This campaign is ${statusLabels[campaign.status].toLowerCase()}, so it does not compete. Activate it to see it here.`}
            </p>
          )}
          {answer.trace.length === 0 && <p class="muted">No active campaign competes on this page.</p>}
          {tracePlaces(answer.trace, own).map((entries) => (
            <section key={placeKey(entries[0]!)} class="trace-place">
              <h3>{placeTitle(entries[0]!)}</h3>
              <ol>
                {entries.map((entry) => (
                  <li key={entry.campaignId} class={entry.outcome === 'chosen' ? 'trace-chosen' : undefined}>
                    <strong>{entry.name}</strong>
                    {entry.campaignId === campaign.id && ' (this campaign)'}
                    {': '}
                    {reasonSentence(entry, entry.campaignId === campaign.id ? campaign.frequency : undefined)}
                  </li>
                ))}
              </ol>
            </section>
          ))}
        </div>
      )}
    </section>
  )
}
