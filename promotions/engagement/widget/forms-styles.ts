/** The poll's and the comments' styles, which come with their chunk. */
export const formsCss = `
fieldset{margin:0 0 8px;padding:0;border:0}
legend{padding:0;margin:0 0 8px;font-weight:600}
.option{position:relative;display:flex;gap:8px;align-items:center;padding:6px 8px;margin:0 0 4px;border-radius:6px;overflow:hidden}
.option .n{margin-inline-start:auto}
.bar{position:absolute;inset:0 auto 0 0;z-index:-1;background:var(--promo-muted)}
.poll{isolation:isolate;margin:0 0 12px}
.list{margin:0 0 8px;padding:0;list-style:none}
.list li{padding:6px 0;border-bottom:1px solid var(--promo-muted)}
.list p{margin:2px 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
time{font-size:.85em;opacity:.7}
form input,textarea{display:block;width:100%;margin:0 0 6px;padding:8px;border:1px solid var(--promo-muted);border-radius:6px;
background:none;color:inherit;font:inherit}
textarea{min-height:5em;resize:vertical}
`
