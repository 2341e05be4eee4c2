/**
 * What every unit's stylesheet starts with (awareness banners, lead forms): the theme's custom properties and
 * their dark variant, the headline, the call to action, the close button, focus rings, and the popup over its
 * backdrop. Each format adds its own rules after these.
 */
export const unitCss = `*{box-sizing:border-box}
.unit{--promo-bg:#fff;--promo-fg:#1d1d1f;--promo-accent:#2450b8;--promo-on-accent:#fff;--promo-muted:rgba(127,127,127,.16);
position:relative;display:block;background:var(--promo-bg);color:var(--promo-fg);text-align:start;
font:15px/1.45 system-ui,sans-serif}
@media (prefers-color-scheme:dark){.unit:not(.themed){--promo-bg:#1f2024;--promo-fg:#f1f1f4;--promo-accent:#8fb3ff;--promo-on-accent:#0d1424}}
.headline{display:block;margin:0 0 6px;font-size:1.3em;line-height:1.2}
.cta{display:inline-block;padding:10px 18px;border:1px solid var(--promo-accent);border-radius:8px;background:var(--promo-accent);
color:var(--promo-on-accent);font:inherit;font-weight:600;text-decoration:none;cursor:pointer}
:focus-visible{outline:2px solid var(--promo-accent);outline-offset:2px}
.close{position:absolute;top:8px;inset-inline-end:8px;width:32px;height:32px;display:grid;place-items:center;padding:0;border:0;
border-radius:50%;background:var(--promo-muted);color:inherit;font:20px/1 system-ui,sans-serif;cursor:pointer}
.backdrop{position:fixed;inset:0;z-index:2147483000;display:flex;align-items:center;justify-content:center;padding:16px;
background:rgba(0,0,0,.55);animation:promo-fade .2s ease-out}
.popup{width:min(480px,100%);max-height:calc(100vh - 32px);overflow:auto;border-radius:14px;box-shadow:0 20px 60px rgba(0,0,0,.35);
animation:promo-in .25s ease-out}
.popup:focus{outline:none}
@keyframes promo-fade{from{opacity:0}}
@keyframes promo-in{from{opacity:0;transform:translateY(8px)}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`
