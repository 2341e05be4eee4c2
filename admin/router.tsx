import type { ComponentChildren } from 'preact'
import { useEffect, useState } from 'preact/hooks'

export const root = '/admin'

export type Route =
  | { name: 'login' }
  | { name: 'campaigns' }
  | { name: 'new-campaign' }
  | { name: 'campaign'; id: string }
  | { name: 'results'; id: string }
  | { name: 'audiences' }
  | { name: 'sites' }
  | { name: 'site'; id: string }
  | { name: 'team' }
  | { name: 'account' }
  | { name: 'audit' }
  /** The invitation link's page, open without a session: `/admin/accept?token=…`. */
  | { name: 'accept' }
  | { name: 'experiments' }
  /** Server conversions sent with a test event code (`/admin/test-events`), part of Sites. */
  | { name: 'test-events' }
  /** A screen a campaign type brings (admin/promotions.ts), at `/admin/<path>` or `/admin/<path>/<id>`. */
  | { name: 'screen'; path: string; id?: string }
  | { name: 'not-found' }

/** A type's screen as the router needs it: its path, and its page per item if it has one. */
export interface ScreenPath {
  path: string
  Item?: unknown
}

/**
 * Maps a pathname under /admin to a screen; unknown paths are a not-found screen, never a crash. `screens` are
 * the campaign types' own screens.
 */
export function matchRoute(pathname: string, screens: readonly ScreenPath[] = []): Route {
  const rest = pathname.startsWith(root) ? pathname.slice(root.length) : pathname
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent)
  const [first, second, third] = parts
  if (parts.length === 0) return { name: 'campaigns' }
  if (first === 'login' && parts.length === 1) return { name: 'login' }
  if (first === 'audiences' && parts.length === 1) return { name: 'audiences' }
  if (first === 'sites' && parts.length === 1) return { name: 'sites' }
  if (first === 'sites' && second && parts.length === 2) return { name: 'site', id: second }
  if (first === 'team' && parts.length === 1) return { name: 'team' }
  if (first === 'account' && parts.length === 1) return { name: 'account' }
  if (first === 'audit' && parts.length === 1) return { name: 'audit' }
  if (first === 'accept' && parts.length === 1) return { name: 'accept' }
  if (first === 'experiments' && parts.length === 1) return { name: 'experiments' }
  if (first === 'test-events' && parts.length === 1) return { name: 'test-events' }
  const screen = screens.find((option) => option.path === first)
  if (screen && first) {
    if (parts.length === 1) return { name: 'screen', path: first }
    if (screen.Item && second && parts.length === 2) return { name: 'screen', path: first, id: second }
    return { name: 'not-found' }
  }
  if (first !== 'campaigns') return { name: 'not-found' }
  if (!second) return { name: 'campaigns' }
  if (second === 'new' && !third) return { name: 'new-campaign' }
  if (parts.length === 2) return { name: 'campaign', id: second }
  if (third === 'results' && parts.length === 3) return { name: 'results', id: second }
  return { name: 'not-found' }
}

const changeEvent = 'promo:navigate'

export function navigate(to: string, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', to)
  else history.pushState(null, '', to)
  window.dispatchEvent(new Event(changeEvent))
}

/** The current path and query, re-read on pushState (through navigate) and on back/forward. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const read = () => location.pathname + location.search
  const [href, setHref] = useState(read)
  useEffect(() => {
    const update = () => setHref(read())
    window.addEventListener('popstate', update)
    window.addEventListener(changeEvent, update)
    return () => {
      window.removeEventListener('popstate', update)
      window.removeEventListener(changeEvent, update)
    }
  }, [])
  const url = new URL(href, 'http://admin.invalid')
  return { pathname: url.pathname, search: url.searchParams }
}

interface LinkProps {
  href: string
  class?: string
  'aria-current'?: 'page'
  children: ComponentChildren
}

/** An ordinary link that stays in the app on a plain left click and behaves natively otherwise. */
export function Link({ href, children, ...rest }: LinkProps) {
  const onClick = (event: MouseEvent) => {
    if (event.defaultPrevented || event.button !== 0) return
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    event.preventDefault()
    navigate(href)
  }
  return (
    <a {...rest} href={href} onClick={onClick}>
      {children}
    </a>
  )
}
