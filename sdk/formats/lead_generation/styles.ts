/** The form's only styles, adopted as a constructable stylesheet by its shadow root. */
export const css = `
*{box-sizing:border-box}
.unit{--promo-bg:#fff;--promo-fg:#1d1d1f;--promo-accent:#2450b8;--promo-on-accent:#fff;--promo-muted:rgba(127,127,127,.16);
--promo-line:rgba(127,127,127,.6);--promo-error:#b3261e;position:relative;display:block;padding:clamp(18px,3vw,28px);
background:var(--promo-bg);color:var(--promo-fg);text-align:start;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
@media (prefers-color-scheme:dark){.unit:not(.themed){--promo-bg:#1f2024;--promo-fg:#f1f1f4;--promo-accent:#8fb3ff;--promo-on-accent:#0d1424;--promo-error:#ffb4ab}}
.headline{display:block;margin-bottom:6px;padding-inline-end:28px;font-size:1.3em;line-height:1.2}
p{margin:0 0 8px}
fieldset{margin:0;padding:0;border:0;min-width:0}
legend{padding:0;font-weight:600}
label{display:block;margin-top:8px}
input,select,button{font:inherit;color:inherit}
.field{width:100%;min-height:42px;margin-top:4px;padding:8px 10px;border:1px solid var(--promo-line);border-radius:8px;background:var(--promo-bg)}
.check{display:flex;gap:8px;align-items:flex-start}
.check input{flex:none;width:18px;height:18px;margin:11px 0 0;accent-color:var(--promo-accent)}
[aria-invalid=true]{border-color:var(--promo-error)}
.error{min-height:1.3em;margin:2px 0 0;font-size:.87em;line-height:1.3;color:var(--promo-error)}
.hp{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.captcha{min-height:65px;margin-top:8px}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:10px}
.cta,.back{padding:10px 18px;border:1px solid var(--promo-accent);border-radius:8px;font-weight:600;text-decoration:none;cursor:pointer}
.cta{background:var(--promo-accent);color:var(--promo-on-accent)}
.back{background:none}
.cta:disabled{opacity:.6}
.privacy{margin-inline-start:auto;font-size:.87em;color:inherit}
.done{display:block;outline:0}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:2px solid var(--promo-accent);outline-offset:2px}
.close{position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;padding:0;border:0;border-radius:50%;background:var(--promo-muted);
font:20px/1 system-ui,sans-serif;cursor:pointer}
.inline{border:1px solid var(--promo-muted);border-radius:12px}
.panel,.popup{max-height:calc(100vh - 32px);overflow:auto;border-radius:14px;box-shadow:0 16px 48px rgba(0,0,0,.3);animation:promo-in .25s ease-out}
.panel{position:fixed;bottom:16px;inset-inline-end:16px;z-index:2147483000;width:min(380px,calc(100vw - 32px))}
.popup{width:min(480px,100%);outline:0}
.backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:16px;
background:rgba(0,0,0,.55);animation:promo-fade .2s ease-out}
@keyframes promo-fade{from{opacity:0}}
@keyframes promo-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){*{animation:none!important}}
`
