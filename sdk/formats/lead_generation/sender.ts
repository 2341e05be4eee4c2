import { identityKey } from '../../identity'
import type { FormatContext } from '../../kit/context'
import { findScriptTag, readScriptTag } from '../../script-tag'

/** Where a lead goes and who sends it. */
export interface LeadSender {
  api: string
  site: string
  anonymousId: string
}

/**
 * What a form needs beyond drawing: where to send, and where its errors go. The loader does not hand these to
 * formats yet, so both are optional: without them the form finds its site on the page (`senderFromPage`)
 * and warns on the console.
 */
export interface LeadContext extends FormatContext {
  sender?(): LeadSender | undefined
  report?(error: unknown): void
}

/**
 * The API and site key from the SDK's script tag, and the visitor's anonymous id as the SDK stored it; a
 * visitor whose ids are not stored (no consent, or storage refused) is `anonymous`, as on the API's typed serve.
 */
export function senderFromPage(): LeadSender | undefined {
  const tag = readScriptTag(findScriptTag(document))
  if (!tag) return undefined
  let anonymousId: unknown
  try {
    anonymousId = JSON.parse(localStorage.getItem(identityKey) ?? '{}')?.a
  } catch {
    // Storage refused: the lead goes without a link to earlier events.
  }
  return {
    api: tag.api,
    site: tag.site,
    anonymousId: typeof anonymousId === 'string' && anonymousId ? anonymousId : 'anonymous',
  }
}

export const reportOf = (ctx: LeadContext) =>
  ctx.report ?? ((error: unknown) => console.warn('[promo]', error))
