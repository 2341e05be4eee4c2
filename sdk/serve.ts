import { eventLimits as limits } from '../schema/limits'
import type { Decision, ServeResponse } from '../schema/serve'
import type { Ids } from './identity'
import { postText } from './post'
import { collectSlots } from './slots'

export interface Served {
  decisions: Decision[]
  /** The slot elements the request named, by name, to draw slot decisions into. */
  slots: Map<string, HTMLElement>
}

/**
 * `POST /api/v1/serve`: the page's slots and context in, one decision per filled slot plus page-level units
 * out, in a single round trip.
 */
/** `pages`: pages this session has shown, this one included, as the trigger context counts them. */
export async function fetchDecisions(api: string, site: string, ids: Ids, pages: number): Promise<Served> {
  const slots = collectSlots(document)
  const body = {
    site,
    slots: [...slots.keys()],
    context: {
      url: location.href.slice(0, limits.url),
      referrer: document.referrer.slice(0, limits.url),
      title: document.title.slice(0, limits.name),
      language: navigator.language.slice(0, 35),
      pagesThisSession: Math.max(1, pages),
    },
    ...ids,
  }
  const response = await postText(`${api}/api/v1/serve`, JSON.stringify(body))
  if (!response.ok) throw new Error(`serve answered ${response.status}`)
  const { decisions } = (await response.json()) as ServeResponse
  return { decisions: decisions ?? [], slots }
}
