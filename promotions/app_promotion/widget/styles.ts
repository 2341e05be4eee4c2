import { unitCss } from '../../../sdk/kit/unit-css'

/** The app unit's styles after every unit's own, adopted as a constructable stylesheet by its shadow root. */
export const css = `${unitCss}.app{display:flex;gap:12px;align-items:center;padding:10px 14px;padding-inline-end:52px}
.bar{position:fixed;left:0;right:0;z-index:2147483000;box-shadow:0 0 18px rgba(0,0,0,.18);animation:promo-in .25s ease-out}
.top{top:0}.bottom{bottom:0}
.inline{border:1px solid var(--promo-muted);border-radius:10px}
.popup{display:flex;flex-direction:column;text-align:center;padding:24px}
.icon{width:56px;height:56px;flex:none;border-radius:12px;background:var(--promo-muted);object-fit:cover}
.about{flex:1;min-width:0}.about .headline{font-size:1.05em;margin:0}
.meta{margin:2px 0 0;font-size:.85em;opacity:.8}
.close{top:50%;margin-top:-16px}.popup .close{top:8px;margin-top:0}
.qr{flex:none;padding:6px;background:#fff;border-radius:6px}
`
