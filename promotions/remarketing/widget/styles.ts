import { unitCss } from '../../../sdk/kit/unit-css'

/** The reminder's only styles (after every unit's own), adopted as a constructable stylesheet by its shadow root. */
export const css = `${unitCss}.text{padding:16px;padding-inline-end:44px}.text>*{margin:0 0 12px}.text>:last-child{margin-bottom:0}
.inline{border:1px solid var(--promo-muted);border-radius:12px}
.bar{position:fixed;left:0;right:0;z-index:2147483000;box-shadow:0 0 18px rgba(0,0,0,.18)}
.bottom{bottom:0}.top{top:0}
.cards{list-style:none;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,120px),1fr))}
.bar .cards{display:flex;overflow-x:auto}.bar .card{flex:0 0 200px}.bar .item{flex-direction:row;align-items:center}.bar .image{width:48px}
.item{display:flex;flex-direction:column;gap:4px;height:100%;color:inherit;text-decoration:none}
a.item:hover .name{text-decoration:underline}
.image{display:block;width:100%;height:auto;aspect-ratio:1;object-fit:cover;border-radius:8px;background:var(--promo-muted)}
.name{font-weight:600}
.offer,.code{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.deal{font-size:1.1em}
.value{padding:8px 12px;border:1px dashed currentColor;border-radius:8px;font:600 1.1em ui-monospace,monospace;user-select:all}
.note:empty{position:absolute}
`
