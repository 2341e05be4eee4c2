/** The rail's only styles, adopted as a constructable stylesheet by its shadow root. */
export const css = `
*{box-sizing:border-box}
.rail{--promo-bg:#fff;--promo-fg:#1d1d1f;--promo-accent:#2450b8;--promo-on-accent:#fff;--promo-muted:rgba(127,127,127,.18);
display:block;padding:16px;border-radius:12px;background:var(--promo-bg);color:var(--promo-fg);text-align:start;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;-webkit-font-smoothing:antialiased}
@media (prefers-color-scheme:dark){.rail{--promo-bg:#1f2024;--promo-fg:#f1f1f4;--promo-accent:#8fb3ff;--promo-on-accent:#0d1424}}
.top{display:flex;align-items:center;gap:12px;margin:0 0 12px}
.heading{flex:1;min-width:0;margin:0;font-size:1.2em;font-weight:700;line-height:1.25}
.steps{display:flex;gap:8px;margin-inline-start:auto}
.step{width:36px;height:36px;display:grid;place-items:center;padding:0;border:1px solid var(--promo-muted);border-radius:50%;
background:none;color:inherit;font:22px/1 system-ui,sans-serif;cursor:pointer}
.step[aria-disabled=true]{opacity:.35;cursor:default}
.step span:dir(rtl){transform:scaleX(-1)}
.cards{list-style:none;margin:0;padding:0}
.card{min-width:0}
.link{display:flex;flex-direction:column;height:100%;border:1px solid var(--promo-muted);border-radius:10px;overflow:hidden;
color:inherit;text-decoration:none}
.link:hover .title{text-decoration:underline}
a:focus-visible,button:focus-visible{outline:2px solid var(--promo-accent);outline-offset:2px}
.image{display:block;width:100%;height:auto;aspect-ratio:16/9;object-fit:cover;background:var(--promo-muted)}
.text{display:flex;flex-direction:column;align-items:flex-start;gap:4px;padding:10px 12px;min-width:0}
.title{font-weight:600;line-height:1.3}
.summary{display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;overflow:hidden;font-size:.9em;opacity:.8}
.badge{padding:1px 8px;border-radius:99px;background:var(--promo-accent);color:var(--promo-on-accent);font-size:.75em;font-weight:600}
.grid .cards{display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(min(100%,200px),1fr))}
.list .cards{display:grid;gap:12px}
.list .link{flex-direction:row;align-items:center}
.list .image{width:min(120px,35%);flex:none}
.carousel .cards{display:grid;grid-auto-flow:column;grid-auto-columns:minmax(min(100%,200px),calc((100% - 32px)/3));gap:16px;
overflow-x:auto;overscroll-behavior-x:contain;scroll-snap-type:x mandatory;scroll-behavior:smooth;padding-bottom:6px}
.carousel .card{scroll-snap-align:start}
@media (prefers-reduced-motion:reduce){.cards{scroll-behavior:auto}}
`
