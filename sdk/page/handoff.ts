/**
 * How a page knows it was reached through a Promo click. The page that was clicked leaves a note for the page the
 * click leads to: the campaign, the variant and the destination, in the site's local storage, which a tab opened
 * by the link shares. The landing page takes the note meant for it. Where no note can be (another browser,
 * another subdomain, storage refused), the ids the click redirect appends to the destination name the click
 * (schema/landing.ts, read by ./in-url.ts).
 */
import { visitParam } from '../../schema/landing'

export const handoffKey = 'promo_landing'
/** A note older than this is no longer a click being followed. */
export const handoffMs = 10 * 60_000
/** Notes kept at once: a visitor may open several cards in new tabs before looking at any. */
const kept = 10

/** A clicked unit's campaign and variant, which the landing's events carry. */
export interface LandingIds {
  campaignId: string
  variantId: string
}

interface Note {
  c: string
  v: string
  /** The destination, as `pageKey` writes it. */
  u: string
  /** When the link was clicked. */
  t: number
}

export interface HandoffStore {
  storage(): Storage
  canStore(): boolean
  now?: () => number
}

/**
 * One page however it is linked: origin, path without a trailing slash, and the query without visit parameters,
 * no fragment. Undefined for anything but http(s).
 */
export function pageKey(href: string, base?: string): string | undefined {
  try {
    const url = new URL(href, base)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined
    const query = new URLSearchParams(url.search)
    for (const name of [...query.keys()]) if (visitParam.test(name)) query.delete(name)
    const search = query.toString()
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}${search ? `?${search}` : ''}`
  } catch {
    return undefined
  }
}

const isNote = (note: Partial<Note> | null): note is Note =>
  typeof note?.c === 'string' &&
  typeof note.v === 'string' &&
  typeof note.u === 'string' &&
  typeof note.t === 'number'

/** The notes stored, all of them well formed: whatever else is under the key counts as none. */
function read(store: HandoffStore): { notes: Note[]; stored: number } {
  try {
    const stored = JSON.parse(store.storage().getItem(handoffKey) ?? '[]')
    return Array.isArray(stored)
      ? { notes: stored.filter(isNote), stored: stored.length }
      : { notes: [], stored: 1 }
  } catch {
    return { notes: [], stored: 1 }
  }
}

function write(store: HandoffStore, notes: Note[]) {
  try {
    const storage = store.storage()
    if (notes.length) storage.setItem(handoffKey, JSON.stringify(notes))
    else storage.removeItem(handoffKey)
  } catch {
    // Storage refused or full: this click's landing goes unmeasured.
  }
}

/**
 * Notes that a unit's link to `destination` was activated. Only a page of this site can be measured as a
 * landing (another origin has its own storage), and only while consent allows storing.
 */
export function noteClick(store: HandoffStore, ids: LandingIds, destination: string, here = location.href) {
  const key = pageKey(destination, here)
  if (!store.canStore() || !key || new URL(key).origin !== new URL(here).origin) return
  const now = (store.now ?? Date.now)()
  const notes = read(store).notes.filter((note) => note.u !== key && now - note.t < handoffMs)
  notes.push({ c: ids.campaignId, v: ids.variantId, u: key, t: now })
  write(store, notes.slice(-kept))
}

/** The ids of the click that led to `href`, if one did in the last ten minutes; its note is used up. */
export function takeLanding(store: HandoffStore, href = location.href): LandingIds | undefined {
  if (!store.canStore()) return undefined
  const key = pageKey(href)
  const now = (store.now ?? Date.now)()
  const { notes, stored } = read(store)
  if (!stored) return undefined
  const live = notes.filter((note) => now - note.t < handoffMs)
  const index = live.findIndex((note) => note.u === key)
  const [note] = index < 0 ? [] : live.splice(index, 1)
  if (live.length !== stored) write(store, live)
  return note && { campaignId: note.c, variantId: note.v }
}
