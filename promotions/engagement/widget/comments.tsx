import { useState } from 'preact/hooks'
import type { EngagementConfig } from '../config'
import type { Comment, Send } from './api'

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
 * A form for a comment (an optional name and the text, with a counter of what is typed against the limit) above
 * the recent comments, so the list, whose length is known only once it has loaded, moves nothing of the unit when
 * it arrives or grows. Everything is text (markup shows as the characters typed). A comment held for moderation
 * says so instead of appearing.
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
      <ol class="list">
        {comments?.map((comment) => (
          <li key={comment.id}>
            <b dir="auto">{comment.name || 'Anonymous'}</b>{' '}
            <time dateTime={comment.createdAt}>{day(comment.createdAt)}</time>
            <p dir="auto">{comment.text}</p>
          </li>
        ))}
      </ol>
    </div>
  )
}
