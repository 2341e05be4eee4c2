/**
 * The limits of what the SDK's loader sends (events and serve requests): apart from the others, so the loader
 * carries only these (it has a size budget, and a bundler keeps a whole object it reads a field of).
 */
export const eventLimits = {
  id: 64,
  name: 200,
  url: 2_048,
  eventName: 100,
  slot: 100,
  props: 50,
  propKey: 100,
  propValue: 1_000,
  slots: 20,
} as const

/** Length limits shared by every public field, so the SDK, API and admin agree on them. */
export const limits = {
  ...eventLimits,
  shortText: 120,
  text: 2_000,
  batch: 100,
  origins: 20,
  variants: 20,
  placements: 20,
  /** A content catalog item's summary, one tag, and how many tags it keeps. */
  summary: 500,
  tag: 64,
  tags: 20,
} as const

/**
 * JSON bodies whose arrays and objects nest deeper than this are refused with 400 before they are parsed: no body
 * the API takes needs more (a targeting rule, the deepest, needs about a dozen), and code that walks a value
 * (the text check, zod) would otherwise recurse as deep as the sender likes.
 */
export const maxBodyDepth = 32

/** Request bodies larger than this are refused with 413 before they are parsed. */
export const bodyLimits = {
  public: 256 * 1024,
  admin: 512 * 1024,
} as const

/**
 * Text PostgreSQL can store: no NUL character and no half of a surrogate pair (jsonb refuses both, and a
 * text column refuses NUL), so such input is a validation error at its field, never a failed write.
 */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
export const isStorableText = (text: string) => !text.includes('\u0000') && !loneSurrogate.test(text)
export const unstorableMessage = 'must be valid Unicode text without NUL characters'

// 1000-01-01T00:00Z and 9999-01-01T00:00Z, as numbers so the SDK's bundle drops them with the rest it never uses.
const earliestTime = -30_610_224_000_000
const latestTime = 253_370_764_800_000
/**
 * Times PostgreSQL can store as the API writes them (ISO 8601 with a four-digit year; PostgreSQL has no year 0):
 * a time outside these years is a validation error at its field, never a failed query.
 */
export const isStorableTime = (value: string | number | Date) => {
  const time =
    typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : value.getTime()
  return time >= earliestTime && time < latestTime
}
export const unstorableTimeMessage = 'must be a time between the years 1000 and 9999'

/** The path of the first string (key or value) in a parsed JSON value that cannot be stored, if any. */
export function unstorablePath(
  value: unknown,
  path: (string | number)[] = [],
): (string | number)[] | undefined {
  if (typeof value === 'string') return isStorableText(value) ? undefined : path
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = unstorablePath(item, [...path, i])
      if (found) return found
    }
    return undefined
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, key]
      const found = unstorablePath(item, [...path, key])
      if (found) return found
    }
  }
  return undefined
}
