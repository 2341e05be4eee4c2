/** Where the app writes what it does and what went wrong (the log port: ports/log.ts). */
export interface Logger {
  /** False when info lines are dropped (PROMO_LOG=silent), so callers can skip building them. */
  readonly infoEnabled?: boolean
  info(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

/**
 * Log lines as operators read them: one JSON object per line with `time`, `level` and `message` first, then the
 * fields. Logs leave the system (files, collectors, support tickets), so nothing that grants access or names a
 * person may be in them: every line goes through `sanitize` here, whoever wrote it.
 */
export function jsonLogger(
  write: (level: 'info' | 'error', line: string) => void,
  options: { quiet?: boolean } = {},
): Logger {
  const line = (level: 'info' | 'error', message: string, fields?: Record<string, unknown>) =>
    JSON.stringify({
      time: new Date().toISOString(),
      level,
      message: redact(message),
      ...(fields ? (sanitize(fields, 0) as Record<string, unknown>) : {}),
    })
  return {
    infoEnabled: !options.quiet,
    info: options.quiet ? () => {} : (message, fields) => write('info', line('info', message, fields)),
    error: (message, fields) => write('error', line('error', message, fields)),
  }
}

/** Keys whose value is a credential whatever it looks like. */
const secretKeyName = /pass|secret|token|authori[sz]ation|cookie|csrf|api.?key|credential|^ip$|email/i

/**
 * One pass over a string for what must never be logged: secret and publishable keys, email addresses, IPv4 and
 * IPv6 addresses, and long random-looking tokens (session tokens, signed links). UUIDs (the ids of rows and
 * requests) and hex of up to 32 digits (trace ids) stay readable.
 */
const sensitive = new RegExp(
  [
    /(?<key>\b[sp]k_(?:live|test)_[A-Za-z0-9]*)/.source,
    /(?<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)*)/.source,
    /(?<ipv4>(?:::ffff:)?\b(?:\d{1,3}\.){3}\d{1,3}\b)/.source,
    /(?<ipv6>(?<![\w:])(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){3,7}|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?::(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?)(?![\w:]))/
      .source,
    /(?<token>[A-Za-z0-9_-]{32,})/.source,
  ].join('|'),
  'gi',
)
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const shortHex = /^[0-9a-f]{1,32}$/i

/** Longer strings are cut before they are searched, so a line costs a bounded amount of work. */
const maxString = 2_000

/** A short string with none of `@ . :` and no `sk_`/`pk_` can hold none of the above: it is returned as is. */
const harmless = /[@.:]|[sp]k_/i

export function redact(text: string): string {
  if ((text.length < 32 && !harmless.test(text)) || uuidShape.test(text)) return text
  const cut = text.length > maxString ? `${text.slice(0, maxString)}…` : text
  return cut.replace(sensitive, (match, key?: string, email?: string, ipv4?: string, ipv6?: string) => {
    if (key) return match.startsWith('s') || match.startsWith('S') ? '[secret key]' : '[publishable key]'
    if (email) return '[email]'
    if (ipv4 || ipv6) return '[ip]'
    if (uuidShape.test(match) || shortHex.test(match)) return match
    // Long words without digits and in one case are identifiers (names of things), not random tokens.
    return /\d/.test(match) || (/[a-z]/.test(match) && /[A-Z]/.test(match)) ? '[token]' : match
  })
}

const maxDepth = 4
const maxItems = 20

function sanitize(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return redact(value)
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value
  if (value instanceof Error) return describeError(value)
  if (value instanceof Date) return value.toISOString()
  if (depth >= maxDepth) return '[nested]'
  if (Array.isArray(value)) return value.slice(0, maxItems).map((item) => sanitize(item, depth + 1))
  const out: Record<string, unknown> = {}
  let count = 0
  for (const [key, item] of Object.entries(value)) {
    if (++count > maxItems * 2) break
    if (secretKeyName.test(key)) out[key] = item == null ? item : '[redacted]'
    else if (key === 'error' && typeof item === 'string') out[key] = errorLabel(item)
    else out[key] = sanitize(item, depth + 1)
  }
  return out
}

/**
 * An error field given as text (`String(error)`) keeps what precedes its first colon, the error's name or code
 * ("DrizzleQueryError", "EAUTH 535"): what follows is the message, where drivers put queries and their values.
 */
function errorLabel(text: string): string {
  const colon = text.indexOf(':')
  return redact((colon < 0 ? text : text.slice(0, colon)).slice(0, 100))
}

const codeShape = /^[A-Za-z0-9_.-]{1,40}$/

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'number') return String(code)
  return typeof code === 'string' && codeShape.test(code) ? code : undefined
}

/**
 * The class name, unless a bundler shortened it ("O"): then the error's own name, except PGlite's, which is
 * named after the protocol message ("error").
 */
const typeOf = (error: Error) => {
  const constructorName = error.constructor?.name
  if (constructorName && constructorName.length > 2 && constructorName !== 'Error') return constructorName
  if (error.name === 'error' && codeOf(error)) return 'DatabaseError'
  return error.name || 'Error'
}

/**
 * What a log may say about an error: its class, its code (a SQLSTATE such as `22008`, a system code such as
 * `ECONNREFUSED`), its cause's class and code, and where it was thrown. Never its message: drivers put the
 * failed query and its parameters there (drizzle's `Failed query: … params: …`), and parsers quote their input.
 */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error }
  const cause = error.cause instanceof Error ? error.cause : undefined
  const code = codeOf(error) ?? (cause ? codeOf(cause) : undefined)
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.startsWith('    at '))
    .slice(0, 8)
    .map((line) => redact(line.trim()))
  return {
    type: typeOf(error),
    ...(code ? { code } : {}),
    ...(cause ? { cause: typeOf(cause) } : {}),
    ...(frames.length > 0 ? { at: frames } : {}),
  }
}
