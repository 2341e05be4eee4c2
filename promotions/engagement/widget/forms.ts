import { formsCss } from './forms-styles'

export { Comments } from './comments'
export { Poll } from './poll'

let sheet: CSSStyleSheet | undefined

/**
 * The poll and the comments are a chunk of their own, loaded only when a campaign's config has either, so likes
 * and share buttons draw from the engagement chunk alone. Their styles come along and join the unit's shadow root.
 */
export function adopt(root: Node) {
  if (!(root instanceof ShadowRoot)) return
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(formsCss)
  }
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet]
}
