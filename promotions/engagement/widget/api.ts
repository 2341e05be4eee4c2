/** Counts as `/api/v1/engagements` answers them; `votes` is absent while this visitor may not see results. */
export interface Counts {
  likes: number
  reactions: Record<string, number>
  shares: number
  comments: number
  votes?: Record<string, number>
  voters: number
}

/** What this visitor has done. */
export interface State {
  liked: boolean
  reaction: string | null
  voted: string[]
}

export interface Comment {
  id: string
  text: string
  name?: string
  status?: 'published' | 'pending'
  createdAt: string
}

export interface Answer {
  counts?: Counts
  state?: State
  comment?: Comment
  comments?: Comment[]
}

/** One action of `POST /api/v1/engagements`, beyond who sends it. */
export interface Action {
  action: 'like' | 'unlike' | 'react' | 'unreact' | 'share' | 'vote' | 'comment'
  reaction?: string
  network?: string
  shareId?: string
  options?: string[]
  text?: string
  name?: string
}

/** Who acts and where: the site key, the campaign, the visitor and the proof serve gave of them. */
export interface Who {
  api: string
  site: string
  campaignId: string
  variantId: string
  anonymousId: string
  visitorToken?: string | undefined
}

/** A refusal: the HTTP status, and the API's error code and message. */
export interface Refused {
  status: number
  code?: string
  message?: string
}

async function read(response: Response): Promise<Answer> {
  const answer = await response.json().catch(() => ({}))
  if (!response.ok) throw { status: response.status, ...answer?.error } satisfies Refused
  return answer
}

/** The counts, this visitor's state and the recent comments. */
export function load(who: Who): Promise<Answer> {
  const query = new URLSearchParams({
    site: who.site,
    campaignId: who.campaignId,
    anonymousId: who.anonymousId,
  })
  return fetch(`${who.api}/api/v1/engagements?${query}`).then(read)
}

/**
 * Sends one action as text/plain JSON, which needs no CORS preflight (as sdk/post.ts does; not imported, so the
 * lead form's chunk and this one share no extra chunk for three lines); resolves to the new counts and state.
 */
export function act(who: Who, action: Action): Promise<Answer> {
  const { api, ...ids } = who
  return fetch(`${api}/api/v1/engagements`, {
    method: 'POST',
    body: JSON.stringify({ ...ids, ...action, url: location.href.slice(0, 2048) }),
    headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
  }).then(read)
}

/**
 * Sends an action for a part of the widget: `done` with the API's answer, `failed` with its refusal (true when it
 * told the visitor itself). Answers false when nothing is sent (the admin preview).
 */
export type Send = (
  action: Action,
  done?: (answer: Answer) => void,
  failed?: (error: Refused) => boolean | undefined,
) => boolean
