import { useEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../../../schema/serve'
import { creativeColors } from '../../../sdk/kit/colors'
import type { FormatContext } from '../../../sdk/kit/context'
import type { EngagementConfig } from '../config'
import type { Send } from './api'
import {
  type Action,
  type Answer,
  act,
  type Comment,
  type Counts,
  load,
  type Refused,
  type State,
  type Who,
} from './api'
import { Share } from './share-bar'

const emoji: Record<string, string> = { like: '👍', love: '❤️', haha: '😆', wow: '😮', sad: '😢', angry: '😠' }

/** Whatever went wrong, as the visitor should read it. */
export const failure = (error: Refused) =>
  error.status === 429
    ? 'Too many tries, please wait a moment.'
    : error.message || 'That did not work, please try again.'

type Forms = typeof import('./forms')

const shown = (show: boolean, n: number) => (show ? <span class="n">{n}</span> : null)

/**
 * An engagement unit: the creative's headline and text, then the parts the config turns on: like, reactions and
 * share buttons, the status line, then a poll and comments, which come in a chunk of their own and so come last
 * (nothing above them moves when it arrives). Counts come from `GET /api/v1/engagements`; each action goes to its
 * POST and the counts and state it answers replace what was shown. A like or reaction shows at once and is undone
 * when the API refuses it. The admin preview sends nothing and keeps what the visitor does to itself.
 */
export function Engagement({ decision, ctx }: { decision: Decision; ctx: FormatContext }) {
  const config = decision.config as EngagementConfig
  const types = config.engagementTypes
  const show = config.showCounts !== false
  const [counts, setCounts] = useState<Counts>({ likes: 0, reactions: {}, shares: 0, comments: 0, voters: 0 })
  const [state, setState] = useState<State>({ liked: false, reaction: null, voted: [] })
  const [comments, setComments] = useState<Comment[] | undefined>()
  const [said, say] = useState('')
  const last = useRef(0)
  const box = useRef<HTMLElement>(null)
  const [who] = useState<Who | undefined>(() => {
    const sender = ctx.preview ? undefined : ctx.sender?.()
    return (
      sender && {
        api: sender.api,
        site: sender.site,
        campaignId: decision.campaignId,
        variantId: decision.variantId,
        // Without consent to keep an id, this page view is the visitor: one like per view, nothing stored.
        anonymousId: sender.anonymousId ?? `view-${Math.random().toString(36).slice(2)}`,
        visitorToken: sender.anonymousId ? decision.visitorToken : undefined,
      }
    )
  })
  const apply = (answer: Answer) => {
    if (answer.counts) setCounts(answer.counts)
    if (answer.state) setState(answer.state)
    if (answer.comments) setComments(answer.comments)
  }
  /** A refusal is the visitor's to read; anything else (a failed fetch, a bug) goes to the page's listeners. */
  const refused = (error: unknown): Refused => {
    if (typeof (error as Refused)?.status === 'number') return error as Refused
    ctx.report?.(error)
    return { status: 0 }
  }
  const reload = () => {
    if (who) load(who).then(apply, refused)
  }
  const [forms, setForms] = useState<Forms>()
  useEffect(() => {
    reload()
    if (!who) setComments([])
    if ((types.includes('vote') && config.poll) || types.includes('comment'))
      import('./forms')
        .then((module) => {
          // The unit may be gone before its chunk arrives.
          if (!box.current) return
          module.adopt(box.current.getRootNode())
          setForms(module)
        })
        .catch(ctx.report)
  }, [])

  /**
   * Sends an action; only the answer to the latest one is applied, so a quick like-unlike never ends on the
   * first answer. `failed` answers whether it dealt with the refusal itself.
   */
  const send: Send = (action, done, failed) => {
    if (!who) return false
    const mine = ++last.current
    act(who, action).then(
      (answer) => {
        if (mine === last.current) apply(answer)
        done?.(answer)
      },
      (error) => {
        const refusal = refused(error)
        if (!failed?.(refusal)) say(failure(refusal))
      },
    )
    return true
  }
  /** A like or a reaction, shown before the API answers and taken back if it refuses. */
  const optimistic = (next: State, nextCounts: Counts, action: Action, words: string) => {
    const before = { state, counts }
    setState(next)
    setCounts(nextCounts)
    say(words)
    send(action, undefined, () => {
      setState(before.state)
      setCounts(before.counts)
      return undefined
    })
  }
  const like = () => {
    const liked = !state.liked
    optimistic(
      { ...state, liked },
      { ...counts, likes: counts.likes + (liked ? 1 : -1) },
      { action: liked ? 'like' : 'unlike' },
      liked ? 'Liked' : 'Like removed',
    )
  }
  const react = (reaction: string) => {
    const off = state.reaction === reaction
    const reactions = { ...counts.reactions }
    if (state.reaction) reactions[state.reaction] = Math.max(0, (reactions[state.reaction] ?? 1) - 1)
    if (!off) reactions[reaction] = (reactions[reaction] ?? 0) + 1
    optimistic(
      { ...state, reaction: off ? null : reaction },
      { ...counts, reactions },
      { action: off ? 'unreact' : 'react', reaction },
      off ? 'Reaction removed' : `Reacted ${reaction}`,
    )
  }

  return (
    <section
      ref={box}
      class="unit"
      style={creativeColors(decision.creative)}
      aria-label={decision.creative.headline}
    >
      <h2 class="headline" dir="auto">
        {decision.creative.headline}
      </h2>
      {decision.creative.body && (
        <p class="body" dir="auto">
          {decision.creative.body}
        </p>
      )}
      {(types.includes('like') || types.includes('react')) && (
        <div class="row">
          {types.includes('like') && (
            <button type="button" class="b" aria-pressed={state.liked} onClick={like}>
              <span aria-hidden="true">👍</span> Like {shown(show, counts.likes)}
            </button>
          )}
          {types.includes('react') &&
            config.reactions.map((reaction) => (
              <button
                type="button"
                class="b"
                key={reaction}
                aria-pressed={state.reaction === reaction}
                title={reaction}
                onClick={() => react(reaction)}
              >
                <span aria-hidden="true">{emoji[reaction]}</span>
                <span class="sr">{reaction}</span> {shown(show, counts.reactions[reaction] ?? 0)}
              </button>
            ))}
        </div>
      )}
      {types.includes('share') && (
        <Share
          config={config}
          decision={decision}
          preview={ctx.preview === true}
          send={send}
          say={say}
          count={show && counts.shares}
        />
      )}
      <p class="say" role="status" aria-live="polite">
        {said}
      </p>
      {types.includes('vote') &&
        config.poll &&
        (forms ? (
          <forms.Poll
            poll={config.poll}
            counts={counts}
            voted={state.voted}
            send={send}
            say={say}
            reload={reload}
          />
        ) : (
          <div style={{ minHeight: `${config.poll.options.length * 2.5 + 5}em` }} />
        ))}
      {types.includes('comment') &&
        (forms ? (
          <forms.Comments
            config={config.comments}
            comments={comments}
            count={show && counts.comments}
            send={send}
            say={say}
            add={(comment) =>
              setComments((list) => [comment, ...(list ?? [])].slice(0, config.comments.showRecent))
            }
          />
        ) : (
          <div style={{ minHeight: `${config.comments.showRecent * 3 + 12}em` }} />
        ))}
    </section>
  )
}
