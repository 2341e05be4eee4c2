import { unitCss } from '../../../sdk/kit/unit-css'

/** The form's only styles (after every unit's own), adopted as a constructable stylesheet by its shadow root. */
export const css = `${unitCss}.unit{--promo-error:#b3261e;padding:clamp(18px,3vw,28px)}
@media (prefers-color-scheme:dark){.unit:not(.themed){--promo-error:#ffb4ab}}
.headline{padding-inline-end:28px}
p{margin:0 0 8px}
fieldset{margin:0;padding:0;border:0;min-width:0}
legend{padding:0;font-weight:600}
label{display:block;margin-top:8px}
input,select,button{font:inherit;color:inherit}
.field{width:100%;min-height:42px;margin-top:4px;padding:8px 10px;border:1px solid rgba(127,127,127,.6);border-radius:8px;background:var(--promo-bg)}
.check{display:flex;gap:8px;align-items:flex-start}
.check input{flex:none;width:18px;height:18px;margin:11px 0 0;accent-color:var(--promo-accent)}
[aria-invalid=true]{border-color:var(--promo-error)}
.error{min-height:1.3em;margin:2px 0 0;font-size:.87em;line-height:1.3;color:var(--promo-error)}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:10px}
.back{background:none;color:inherit}
.cta:disabled{opacity:.6}
.privacy{margin-inline-start:auto;font-size:.87em;color:inherit}
.inline{border:1px solid var(--promo-muted);border-radius:12px}
.panel{position:fixed;bottom:16px;inset-inline-end:16px;z-index:2147483000;width:min(380px,calc(100vw - 32px))}
`
