import { unitCss } from '../../../sdk/kit/unit-css'

/** The offer's styles (after every unit's own), adopted as a constructable stylesheet by its shadow root. */
export const css = `${unitCss}.body,.text>p{margin:0 0 10px}
.text>:last-child{margin-bottom:0}
.hero,.inline{padding:clamp(16px,3vw,32px);padding-inline-end:48px;border:1px solid var(--promo-muted);border-radius:12px}
.bar{position:fixed;left:0;right:0;z-index:2147483000;padding:10px 16px;padding-inline-end:52px;box-shadow:0 0 18px rgba(0,0,0,.18)}
.bar .text{display:flex;flex-wrap:wrap;align-items:center;gap:4px 14px}.bar .text>*{margin:0}
.bottom{bottom:0}.top{top:0}
.popup .text{padding:24px}
.clock{display:flex;flex-wrap:wrap;align-items:baseline;gap:2px 10px}
.digits{font:700 1.4em/1.1 ui-monospace,monospace;font-variant-numeric:tabular-nums}
.until,.yours,.terms{opacity:.75;font-size:.85em}.terms{display:block}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
code{padding:1px 6px;border:1px dashed currentColor;border-radius:4px}
.copy{padding:2px 8px;border:1px solid var(--promo-accent);border-radius:6px;background:none;color:inherit;font:inherit;cursor:pointer}
.left{font-weight:600}
.event>p{margin:0 0 8px}
.rsvp{display:grid;gap:8px;max-width:360px}
.field{display:grid;gap:2px;font-size:.9em}
.field input{padding:8px;border:1px solid var(--promo-muted);border-radius:6px;background:var(--promo-bg);color:inherit;font:inherit}
.error{color:#c62828;font-size:.85em}
`
