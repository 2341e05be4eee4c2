import { useState } from 'preact/hooks'
import type { EngagementConfig } from '../config'
import type { Comment } from './api'
import type { Send } from './widget'

interface CommentsProps {
  config: EngagementConfig['comments']
  /** The recent published comments; undefined until they are loaded. */
  comments: Comment[] | undefined
  count: number | false
  send: Send
  say(words: string): void
  /** A comment the API published at once. */
  add(comment: Comment): void
}

const day = (iso: string) => {
  const date = new Date(iso)
  return Number.isNaN(date.valueOf()) ? '' : date.toLocaleDateString()
}

/**
 * The recent comments and a form for one more: an optional name and the text, with a counter of what is left.
 * Everything is text (markup shows as the characters typed). A comment held for moderation says so instead of
 * appearing. While the comments load, their place is kept, so the page does not move when they arrive.
 */
export function Comments({ config, comments, count, send, say, add }: CommentsProps) {
  const [text, setText] = useState('')
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)

  const submit = (event: Event) => {
    event.preventDefault()
    if (!text.trim() || busy) return
    setBusy(
      send(
        { action: 'comment', text, ...(name.trim() ? { name } : {}) },
        ({ comment }) => {
          setBusy(false)
          setText('')
          if (comment?.status === 'pending') return say('Thanks! Your comment awaits moderation.')
          if (comment) add(comment)
          say('Comment posted.')
        },
        () => {
          setBusy(false)
          return undefined
        },
      ),
    )
  }

  return (
    <div class="comments">
      {count !== false && <p class="note">{count} comments</p>}
      <ol class="list" style={comments ? undefined : { minHeight: `${config.showRecent * 3}em` }}>
        {comments?.map((comment) => (
          <li key={comment.id}>
            <b dir="auto">{comment.name || 'Anonymous'}</b>{' '}
            <time dateTime={comment.createdAt}>{day(comment.createdAt)}</time>
            <p dir="auto">{comment.text}</p>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <input
          aria-label="Your name (optional)"
          placeholder="Name (optional)"
          maxLength={80}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
        <textarea
          aria-label="Your comment"
          aria-describedby="promo-left"
          placeholder="Write a comment"
          required
          maxLength={config.maxLength}
          value={text}
          onInput={(event) => setText(event.currentTarget.value)}
        />
        <span class="n" id="promo-left">
          {text.length}/{config.maxLength}
        </span>
        <button type="submit" class="b" disabled={busy}>
          Post
        </button>
      </form>
    </div>
  )
}
