const sheets = new Map<string, CSSStyleSheet>()

/**
 * Every unit's host: nothing inherited from the page but its direction, and a page-level unit (marked by the
 * loader) takes no place in the page's layout, not even as an empty flex or grid item. Important, because in
 * a shadow root's own rules that beats even the page's `promo-unit{display:none!important}`.
 */
const hostCss =
  ':host{all:initial!important;display:block!important}:host([data-placement=page]){display:contents!important}'

/**
 * Opens (or reuses) the host's shadow root and styles it with a constructable stylesheet, which a strict CSP
 * (`style-src 'self'`) allows where a `<style>` element or a `style=""` attribute would be refused.
 */
export function shadowFor(host: HTMLElement, css: string): ShadowRoot {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' })
  let sheet = sheets.get(css)
  if (!sheet) {
    sheet = new CSSStyleSheet()
    sheet.replaceSync(hostCss + css)
    sheets.set(css, sheet)
  }
  root.adoptedStyleSheets = [sheet]
  return root
}
