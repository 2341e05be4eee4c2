import { useLayoutEffect, useRef, useState } from 'preact/hooks'
import type { Decision } from '../../schema/serve'
import type { FormatContext } from '../kit/context'
import { postText } from '../post'

/** What the admin's live preview reveals: a sample, with nothing sent. */
export const sampleCode = 'SAMPLE10'

interface CodeProps {
  decision: Decision
  ctx: FormatContext
  /** A code the decision carries already (a campaign's shared code): revealed as it is, with nothing asked. */
  code?: string | undefined
}

/**
 * The campaign's promo code, behind a "Reveal code" button: the code the decision carries, else
 * `POST /api/v1/promo-codes/reveal` answers this visitor's one code (the same on every reveal), shown as text
 * with a copy button (sales and remarketing units, a chunk of its own). Copying goes through the
 * Clipboard API, else selects the code for the visitor to copy; the outcome is announced in a live region.
 */
export function PromoCode({ decision, ctx, code: known }: CodeProps) {
  const [code, setCode] = useState<string>()
  const [note, setNote] = useState('')
  const text = useRef<HTMLElement>(null)
  const copyButton = useRef<HTMLButtonElement>(null)
  // The reveal button goes away under the keyboard's focus: the copy button takes it.
  useLayoutEffect(() => {
    if (code && !ctx.preview) copyButton.current?.focus()
  }, [code])

  const reveal = async () => {
    if (known) return setCode(known)
    if (ctx.preview) return setCode(sampleCode)
    const who = ctx.sender?.()
    const sorry = 'No code is available right now.'
    if (!who?.anonymousId) return setNote(sorry)
    setNote('')
    try {
      const answer = await postText(
        `${who.api}/api/v1/promo-codes/reveal`,
        JSON.stringify({
          site: who.site,
          campaignId: decision.campaignId,
          variantId: decision.variantId,
          anonymousId: who.anonymousId,
          visitorToken: decision.visitorToken,
        }),
      )
      const shown = (await answer.json().catch(() => undefined))?.code
      if (answer.ok && typeof shown === 'string') setCode(shown)
      else setNote(answer.status >= 500 || answer.status === 429 ? 'Please try again.' : sorry)
    } catch {
      setNote('Please try again.')
    }
  }

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code as string)
      setNote('Copied')
    } catch {
      // No Clipboard API here (an insecure page, a refused permission): the code is selected for the visitor.
      const selection = getSelection()
      if (text.current && selection) selection.selectAllChildren(text.current)
      setNote(document.execCommand?.('copy') ? 'Copied' : 'Code selected: copy it with your keyboard.')
    }
  }

  return (
    <div class="code">
      {code ? (
        <>
          <code class="value" ref={text}>
            {code}
          </code>
          <button type="button" class="cta" ref={copyButton} onClick={() => copy().catch(ctx.report)}>
            Copy
          </button>
        </>
      ) : (
        <button type="button" class="cta" onClick={() => reveal().catch(ctx.report)}>
          Reveal code
        </button>
      )}
      <span class="note" role="status" aria-live="polite">
        {note}
      </span>
    </div>
  )
}
