/**
 * The engagement unit's styles, after the common unit rules. Counts sit in boxes of a fixed minimum width with
 * tabular digits and the status line keeps its height, so numbers arriving or changing move nothing.
 */
export const css = `
.unit{padding:16px;border-radius:12px}
.body,.note{margin:0 0 10px}
.row{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:0 0 12px}
.b{display:inline-flex;align-items:center;gap:6px;min-height:36px;padding:6px 12px;border:1px solid var(--promo-muted);border-radius:99px;
background:none;color:inherit;font:inherit;text-decoration:none;cursor:pointer}
.b[aria-pressed=true]{border-color:var(--promo-accent);background:var(--promo-accent);color:var(--promo-on-accent)}
.b:disabled{opacity:.5}
.n{display:inline-block;min-width:3ch;font-variant-numeric:tabular-nums;opacity:.8}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
.say{min-height:1.45em;margin:0 0 8px}
`
