import { unitCss } from '../../../sdk/kit/unit-css'

/** The banner's only styles (after every unit's own), adopted as a constructable stylesheet by its shadow root. */
export const css = `${unitCss}.body{margin:0 0 14px}
.text>:last-child{margin-bottom:0}
.media{display:block;width:100%;height:auto;object-fit:cover;background:var(--promo-muted)}
.hero{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,300px),1fr));align-items:center;border-radius:12px;overflow:hidden}
.hero .media{aspect-ratio:16/9;height:100%}
.hero .text{padding:clamp(20px,4vw,40px)}
.hero .headline{font-size:clamp(22px,3vw,34px)}
.inline{display:flex;gap:14px;align-items:center;padding:14px;padding-inline-end:48px;border:1px solid var(--promo-muted);border-radius:10px}
.inline .media{width:88px;flex:none;aspect-ratio:1;border-radius:8px}
.inline .text{flex:1;min-width:0}
.inline .headline{font-size:1.1em}
.bar{position:fixed;left:0;right:0;z-index:2147483000;display:flex;align-items:center;gap:12px;padding:10px 16px;padding-inline-end:52px;
box-shadow:0 0 18px rgba(0,0,0,.18);animation:promo-in .25s ease-out}
.bottom{bottom:0}
.top{top:0}
.bar .text{flex:1;min-width:0;display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px}
.bar .headline,.bar .body{margin:0;font-size:1em}
.bar .media{width:44px;flex:none;aspect-ratio:1;border-radius:6px}
.bar .close{top:50%;margin-top:-16px}
.popup .media{aspect-ratio:16/9}
.popup .text{padding:24px}
@media (max-width:480px){.bar .media{display:none}}
`
