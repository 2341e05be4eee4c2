/** The banner's only styles, adopted as a constructable stylesheet by its shadow root. */
export const css = `
*{box-sizing:border-box}
.unit{--promo-bg:#fff;--promo-fg:#1d1d1f;--promo-accent:#2450b8;--promo-on-accent:#fff;--promo-muted:rgba(127,127,127,.16);
position:relative;display:block;background:var(--promo-bg);color:var(--promo-fg);text-align:start;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;-webkit-font-smoothing:antialiased}
@media (prefers-color-scheme:dark){.unit:not(.themed){--promo-bg:#1f2024;--promo-fg:#f1f1f4;--promo-accent:#8fb3ff;--promo-on-accent:#0d1424}}
.headline{display:block;margin:0 0 6px;font-size:1.3em;font-weight:700;line-height:1.2}
.body{margin:0 0 14px}
.text>:last-child{margin-bottom:0}
.cta{display:inline-block;padding:10px 18px;border-radius:8px;background:var(--promo-accent);color:var(--promo-on-accent);font-weight:600;text-decoration:none}
.cta:hover{filter:brightness(1.08)}
.media{display:block;width:100%;height:auto;object-fit:cover;background:var(--promo-muted)}
a:focus-visible,button:focus-visible{outline:2px solid var(--promo-accent);outline-offset:2px}
.close{position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;display:grid;place-items:center;padding:0;border:0;
border-radius:50%;background:var(--promo-muted);color:inherit;font:20px/1 system-ui,sans-serif;cursor:pointer}
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
.backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:16px;
background:rgba(0,0,0,.55);animation:promo-fade .2s ease-out}
.popup{width:min(480px,100%);max-height:calc(100vh - 32px);overflow:auto;border-radius:14px;box-shadow:0 20px 60px rgba(0,0,0,.35);
animation:promo-in .25s ease-out}
.popup:focus{outline:none}
.popup .media{aspect-ratio:16/9}
.popup .text{padding:24px}
@keyframes promo-fade{from{opacity:0}}
@keyframes promo-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
@media (max-width:480px){.bar .media{display:none}}
`
