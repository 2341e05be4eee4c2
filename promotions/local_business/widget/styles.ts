/**
 * The locator's own rules, after the shared unit styles. The list keeps room for three stores and the map its
 * fixed height (set on the box): nothing shifts.
 */
export const css = `
.unit{padding:16px;border-radius:12px}
.find{display:flex;gap:8px;flex-wrap:wrap;margin:0 0 12px}
.find input{flex:1;min-width:10em;padding:9px 10px;border:1px solid var(--promo-muted);border-radius:8px;background:none;color:inherit;font:inherit}
.here{padding:9px 12px;border:1px solid var(--promo-accent);border-radius:8px;background:none;color:var(--promo-accent);font:inherit;cursor:pointer}
.map{position:relative;margin:0 0 12px;border-radius:8px;overflow:hidden;background:var(--promo-muted)}
.map iframe{position:absolute;inset:0;width:100%;height:100%;border:0}
.pick{padding:0;border:0;background:none;color:inherit;font:inherit;text-align:start;cursor:pointer}
.pick[aria-pressed=true]{text-decoration:underline}
.stores{list-style:none;margin:0;padding:0;min-height:15em}
.store{padding:10px 0;border-top:1px solid var(--promo-muted)}
.name{font-weight:600}
.dist{float:right;opacity:.75}
.meta{font-size:.9em;opacity:.85}
.open{color:#1a7f37}
.badge{margin-inline-start:6px;padding:0 6px;border-radius:99px;background:var(--promo-muted);font-size:.8em}
.acts{display:flex;gap:12px;margin-top:4px;font-size:.9em}
.acts a{color:var(--promo-accent)}
`
