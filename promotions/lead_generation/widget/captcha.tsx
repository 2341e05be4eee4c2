import { useEffect, useRef } from 'preact/hooks'

/** The part of Cloudflare Turnstile's browser API the form uses (`window.turnstile`, loaded by the site). */
interface Turnstile {
  render(container: HTMLElement, options: Record<string, unknown>): string | null | undefined
  reset(widgetId?: string): void
  remove(widgetId: string): void
}

export const turnstileOf = () => (window as { turnstile?: Turnstile }).turnstile

interface CaptchaProps {
  /** The unit's host: the widget goes into a child of it, in the page's own DOM. */
  host: HTMLElement
  siteKey: string
  /** The token the form holds: a token is good for one submit, so once the form lets it go the widget is reset. */
  token: string
  onToken(token: string): void
  report(error: unknown): void
}

/**
 * A Cloudflare Turnstile widget for a form whose campaign asks for a captcha. The SDK never loads Turnstile
 * itself: the site does, with its own tag (`<script src="https://challenges.cloudflare.com/turnstile/v0/api.js"
 * async defer></script>`, and `challenges.cloudflare.com` in its CSP's script-src and frame-src). Without
 * `window.turnstile` the form sends no token, and the API's refusal, if it wants one, is shown as it comes.
 * Turnstile does not render into a shadow root, so its box is a light-DOM child of the unit's host shown through
 * a `<slot>`; its height is reserved so that it never pushes the form down as it appears.
 */
function Widget({ host, siteKey, token, onToken, report }: CaptchaProps) {
  const widget = useRef<string | null | undefined>(undefined)
  const held = useRef(false)
  // Turnstile's calls throw on a bad site key or a widget it no longer knows: reported, never thrown.
  const call = (fn: (turnstile: Turnstile) => void) => {
    const turnstile = turnstileOf()
    try {
      if (turnstile) fn(turnstile)
    } catch (error) {
      report(error)
    }
  }
  useEffect(() => {
    const box = document.createElement('div')
    box.slot = 'captcha'
    host.appendChild(box)
    call((turnstile) => {
      widget.current = turnstile.render(box, {
        sitekey: siteKey,
        callback: onToken,
        'expired-callback': () => onToken(''),
        'error-callback': () => onToken(''),
      })
    })
    return () => {
      call((turnstile) => widget.current && turnstile.remove(widget.current))
      box.remove()
    }
  }, [])
  useEffect(() => {
    if (token) held.current = true
    else if (held.current) {
      held.current = false
      call((turnstile) => widget.current && turnstile.reset(widget.current))
    }
  }, [token])
  return (
    // Set through the CSSOM, which a strict CSP allows: the form's stylesheet leaves the captcha to this chunk.
    <div class="captcha" style={{ minHeight: '65px', marginTop: '8px' }}>
      <slot name="captcha" />
    </div>
  )
}

/**
 * The widget once the page has Turnstile: a script that loads after the form shows it at the form's next render
 * (the visitor's first keystroke).
 */
export const Captcha = (props: CaptchaProps) => (turnstileOf() ? <Widget {...props} /> : null)
