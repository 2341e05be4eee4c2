import { unitCss } from '../../../sdk/kit/unit-css'

/** The sales unit's only styles (after every unit's own), adopted as a constructable stylesheet by its shadow root. */
export const css = `${unitCss}.text{padding:16px}.text>*{margin:0 0 12px}.text>:last-child{margin-bottom:0}
.inline{border:1px solid var(--promo-muted);border-radius:12px}
.bar{position:fixed;left:0;right:0;z-index:2147483000;box-shadow:0 0 18px rgba(0,0,0,.18);padding-inline-end:40px}
.bottom{bottom:0}.top{top:0}.popup .headline{margin-inline-end:36px}
.bar .cards{display:none}
.cards{list-style:none;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,150px),1fr))}
.lines{grid-template-columns:1fr}
.item{display:flex;flex-direction:column;gap:4px;height:100%;color:inherit;text-decoration:none}
a.item:hover .name{text-decoration:underline}
.lines .item{flex-direction:row;align-items:center;gap:12px}
.image{display:block;width:100%;height:auto;aspect-ratio:1;object-fit:cover;border-radius:8px;background:var(--promo-muted)}
.lines .image{width:56px;flex:none}
.name{font-weight:600}
.was{margin-inline-start:6px;opacity:.6}
.proof{font-size:.85em;opacity:.8}
.track{height:8px;border-radius:4px;background:var(--promo-muted);overflow:hidden}
.fill{height:100%;background:var(--promo-accent);transition:width .3s}
.code{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.value{padding:8px 12px;border:1px dashed currentColor;border-radius:8px;font:600 1.1em ui-monospace,monospace;user-select:all}
.note:empty{position:absolute}
`
