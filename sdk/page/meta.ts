import { limits } from '../../schema/limits'

/**
 * The page's text tags the catalog learns, each with the most the API keeps of it. The prop is the tag's name with
 * `_` for `:` (`og:title` → `og_title`), as `pageContentProps` in schema/content.ts lists them.
 */
const textTags: [string, number][] = [
  ['og:title', limits.name],
  ['og:description', limits.summary],
  ['article:section', limits.shortText],
  ['article:published_time', limits.propValue],
]

/** At most `max` UTF-16 units, never ending in half an emoji (the API refuses a lone surrogate). */
function clip(text: string | undefined, max: number): string {
  return (text ?? '').slice(0, max).replace(/[\uD800-\uDBFF]$/, '')
}

/** An absolute http(s) URL that fits a prop whole; a URL cut short would name another page, so it is left out. */
function absoluteUrl(value: string | undefined, base: string): string | undefined {
  try {
    // No value throws too: nothing to resolve.
    const url = new URL(value!.trim(), base)
    return /^https?:$/.test(url.protocol) && url.href.length <= limits.propValue ? url.href : undefined
  } catch {
    return undefined
  }
}

/**
 * The page's Open Graph and article tags as `page` event props, so the content catalog learns the page:
 * `og_title`, `og_description`, `article_section` and `article_published_time` (the first tag of each),
 * `og_image` and `canonical` (absolute), and `article_tag` (every `article:tag`, joined by commas). Each is cut to
 * what the API keeps and present only when the page has it. Tags are read by `property` (the Open Graph way) or
 * `name`, which many sites write instead.
 */
export function pageMeta(doc: Document = document): Record<string, string> {
  const props: Record<string, string> = {}
  const values = (name: string) =>
    Array.from(
      doc.querySelectorAll<HTMLMetaElement>(`meta[property="${name}"],meta[name="${name}"]`),
      (meta) => meta.content.replace(/\s+/g, ' ').trim(),
    ).filter(Boolean)
  const set = (name: string, value: string | undefined) => {
    if (value) props[name.replace(':', '_')] = value
  }
  for (const [name, max] of textTags) set(name, clip(values(name)[0], max))
  set('og:image', absoluteUrl(values('og:image')[0], doc.baseURI))
  set('article:tag', joinedTags(values('article:tag')))
  const canonical = doc.querySelector<HTMLLinkElement>('link[rel~=canonical][href]')
  set('canonical', absoluteUrl(canonical?.href, doc.baseURI))
  return props
}

/**
 * Up to 20 distinct tags (by lower case, as the catalog keeps them) of at most 64 characters, joined by commas
 * into one prop; a tag that would push the prop past its limit is left out rather than cut.
 */
function joinedTags(tags: string[]): string {
  const seen = new Set<string>()
  let joined = ''
  for (const tag of tags) {
    const text = clip(tag, limits.tag)
    const key = text.toLowerCase()
    if (seen.has(key) || seen.size >= limits.tags) continue
    const next = joined ? `${joined},${text}` : text
    if (next.length > limits.propValue) break
    seen.add(key)
    joined = next
  }
  return joined
}
