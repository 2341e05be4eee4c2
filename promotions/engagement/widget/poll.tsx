import { useState } from 'preact/hooks'
import type { EngagementConfig } from '../config'
import type { Counts, Send } from './api'

interface PollProps {
  poll: NonNullable<EngagementConfig['poll']>
  counts: Counts
  voted: string[]
  send: Send
  say(words: string): void
  /** Reads the counts and state again (after the API said this visitor had already voted). */
  reload(): void
}

/**
 * The poll: its options as radio buttons (check boxes when several may be chosen) and a Vote button until the
 * visitor has voted or the poll has closed; then the results, when the API sends them (always, after a vote, or
 * never, as the config says). A closed poll shows no buttons.
 */
export function Poll({ poll, counts, voted, send, say, reload }: PollProps) {
  const [closed, setClosed] = useState(() => !!poll.closesAt && Date.parse(poll.closesAt) <= Date.now())
  const [busy, setBusy] = useState(false)
  const votes = counts.votes
  const open = !closed && !voted.length

  const submit = (event: Event) => {
    event.preventDefault()
    const form = event.currentTarget as HTMLFormElement
    const options = [...form.querySelectorAll<HTMLInputElement>('input:checked')].map((input) => input.value)
    if (!options.length) return say('Choose an option first.')
    setBusy(
      send(
        { action: 'vote', options },
        () => {
          setBusy(false)
          say('Thanks for voting.')
        },
        (error) => {
          setBusy(false)
          if (error.code === 'poll_closed') setClosed(true)
          if (error.code === 'already_voted') reload()
          return undefined
        },
      ),
    )
  }

  return (
    <form class="poll" onSubmit={submit}>
      <fieldset>
        <legend dir="auto">{poll.question}</legend>
        {poll.options.map(({ id, label }) => {
          // An option is a label around its input while the poll takes votes, a plain row of results after.
          const Row = open ? 'label' : 'div'
          const n = votes?.[id]
          const share = n === undefined ? 0 : Math.round((100 * n) / Math.max(1, counts.voters))
          return (
            <Row class="option" key={id}>
              {open ? (
                <input type={poll.allowMultiple ? 'checkbox' : 'radio'} name="option" value={id} />
              ) : (
                voted.includes(id) && <span title="your vote">✓ </span>
              )}
              <span dir="auto">{label}</span>
              {n !== undefined && (
                <>
                  <span class="n">
                    {share}% ({n})
                  </span>
                  <span class="bar" style={{ width: `${share}%` }} />
                </>
              )}
            </Row>
          )
        })}
      </fieldset>
      {open ? (
        <button type="submit" class="b" disabled={busy}>
          Vote
        </button>
      ) : (
        <p class="note">{closed ? 'This poll is closed.' : `${counts.voters} voted.`}</p>
      )}
    </form>
  )
}
