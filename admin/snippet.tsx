import { useRef, useState } from 'preact/hooks'
import type { Site } from './api'

/** The tag a site owner pastes: the SDK served from this same origin, keyed by the site's publishable key. */
export function scriptTag(site: Site, origin = location.origin): string {
  return `<script async src="${origin}/sdk/promo.js" data-site="${site.publishableKey}"></script>`
}

export function Snippet({ site }: { site: Site }) {
  const code = useRef<HTMLElement>(null)
  const [copied, setCopied] = useState<'yes' | 'no' | ''>('')
  const tag = scriptTag(site)

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(tag)
      setCopied('yes')
    } catch {
      const selection = window.getSelection()
      if (code.current && selection) selection.selectAllChildren(code.current)
      setCopied('no')
    }
  }

  return (
    <section class="card snippet" aria-labelledby="snippet-title">
      <h2 id="snippet-title">Install on {site.name}</h2>
      <p>
        Paste this tag into every page of the site, before <code>&lt;/head&gt;</code>. Popups and sticky bars
        need nothing else; hero and inline units fill elements you mark, such as{' '}
        <code>&lt;div data-promo-slot="home-hero"&gt;&lt;/div&gt;</code>.
      </p>
      <pre class="code">
        <code ref={code}>{tag}</code>
      </pre>
      <div class="row">
        <button type="button" class="button" onClick={copy}>
          Copy script tag
        </button>
        <span class="muted" role="status">
          {copied === 'yes'
            ? 'Copied to the clipboard.'
            : copied === 'no'
              ? 'Selected: press Ctrl+C or ⌘C.'
              : ''}
        </span>
      </div>
    </section>
  )
}
