import type { OpenApiDocument } from './document'

/**
 * The API reference page, rendered on the server from the OpenAPI document: every operation by tag with its
 * parameters, request body and answers, and the named schemas they refer to. No script and no external
 * resource (the page works offline and under `default-src 'none'`); its one style sheet is allowed by hash.
 * Every string from the document goes through `escapeHtml`.
 */

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => escapes[ch]!)

export const referenceStyle = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d2430}
h1{margin-bottom:.2rem}h2{border-bottom:1px solid #d5dae1;padding-bottom:.2rem;margin-top:2.5rem}
nav ul{columns:3;padding-left:1rem}
section.op{border:1px solid #d5dae1;border-radius:6px;margin:1rem 0;padding:.6rem 1rem}
.method{display:inline-block;min-width:4.2rem;font-weight:700;text-transform:uppercase}
.get{color:#0b6b2f}.post{color:#0b4fa8}.patch,.put{color:#8a5a00}.delete{color:#a3201a}
code,pre{font:13px/1.4 ui-monospace,monospace}pre{background:#f4f6f8;padding:.5rem;overflow:auto;max-height:28rem}
table{border-collapse:collapse}td,th{border:1px solid #d5dae1;padding:.2rem .5rem;text-align:left;vertical-align:top}
.muted{color:#5b6572}
`

type Json = Record<string, unknown>

const methods = ['get', 'post', 'put', 'patch', 'delete'] as const
const anchorOf = (text: string) => text.replace(/[^A-Za-z0-9_-]+/g, '-')

/** A JSON schema as indented JSON, with `$ref`s to the named schemas turned into links. */
function schemaHtml(schema: unknown): string {
  const text = escapeHtml(JSON.stringify(schema, null, 2) ?? 'null')
  const linked = text.replace(
    /&quot;\$ref&quot;: &quot;#\/components\/schemas\/([A-Za-z0-9_.-]+)&quot;/g,
    (_, name: string) => `&quot;$ref&quot;: <a href="#schema-${anchorOf(name)}">${name}</a>`,
  )
  return `<pre>${linked}</pre>`
}

function contentHtml(content: unknown): string {
  if (!content || typeof content !== 'object') return ''
  return Object.entries(content as Record<string, { schema?: unknown }>)
    .map(([type, media]) => `<p class="muted">${escapeHtml(type)}</p>${schemaHtml(media.schema ?? {})}`)
    .join('')
}

function parametersHtml(parameters: unknown): string {
  if (!Array.isArray(parameters) || parameters.length === 0) return ''
  const rows = (parameters as Json[]).map((p) => {
    const schema = JSON.stringify(p.schema ?? {})
    return `<tr><td><code>${escapeHtml(String(p.name))}</code></td><td>${escapeHtml(String(p.in))}</td><td>${
      p.required ? 'yes' : 'no'
    }</td><td><code>${escapeHtml(schema)}</code></td></tr>`
  })
  return `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${rows.join('')}</table>`
}

function operationHtml(method: string, path: string, op: Json): string {
  const id = anchorOf(`${method}-${path}`)
  const security = Array.isArray(op.security)
    ? (op.security as Json[]).map((s) => Object.keys(s).join(' + ')).join(' or ')
    : 'none'
  const body = op.requestBody as Json | undefined
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
    .map(
      ([status, answer]) =>
        `<details${status.startsWith('2') ? ' open' : ''}><summary><strong>${escapeHtml(status)}</strong> ${escapeHtml(
          String(answer.description ?? ''),
        )}</summary>${contentHtml(answer.content)}</details>`,
    )
    .join('')
  return `<section class="op" id="${id}"><h3><span class="method ${escapeHtml(method)}">${escapeHtml(method)}</span><code>${escapeHtml(
    path,
  )}</code></h3><p>${escapeHtml(String(op.summary ?? ''))}</p>${
    op.description ? `<p class="muted">${escapeHtml(String(op.description))}</p>` : ''
  }<p class="muted">Credentials: ${escapeHtml(security)}</p>${parametersHtml(op.parameters)}${
    body ? `<h4>Request body</h4>${contentHtml(body.content)}` : ''
  }<h4>Answers</h4>${responses}</section>`
}

export function referencePage(document: OpenApiDocument, documentUrl: string): string {
  const byTag = new Map<string, string[]>()
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>
  for (const [path, item] of Object.entries(paths)) {
    for (const method of methods) {
      const op = item[method]
      if (!op) continue
      const tag = String((op.tags as string[] | undefined)?.[0] ?? 'Other')
      if (!byTag.has(tag)) byTag.set(tag, [])
      byTag.get(tag)!.push(operationHtml(method, path, op))
    }
  }
  const tags = [...byTag.keys()]
  const schemas = Object.entries((document.components?.schemas ?? {}) as Record<string, unknown>)
  const info = document.info
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(
    info.title,
  )} reference</title><style>${referenceStyle}</style></head><body><h1>${escapeHtml(info.title)}</h1><p class="muted">Version ${escapeHtml(
    info.version,
  )} · OpenAPI ${escapeHtml(document.openapi)} · the machine-readable document: <a href="${escapeHtml(documentUrl)}">${escapeHtml(
    documentUrl,
  )}</a></p>${info.description ? `<p>${escapeHtml(info.description)}</p>` : ''}<nav><ul>${tags
    .map((tag) => `<li><a href="#tag-${anchorOf(tag)}">${escapeHtml(tag)}</a></li>`)
    .join('')}<li><a href="#schemas">Schemas</a></li></ul></nav>${tags
    .map((tag) => `<h2 id="tag-${anchorOf(tag)}">${escapeHtml(tag)}</h2>${byTag.get(tag)!.join('')}`)
    .join('')}<h2 id="schemas">Schemas</h2>${schemas
    .map(
      ([name, schema]) => `<h3 id="schema-${anchorOf(name)}">${escapeHtml(name)}</h3>${schemaHtml(schema)}`,
    )
    .join('')}</body></html>`
}
