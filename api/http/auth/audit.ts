import type { Context, Next } from 'hono'
import { routePath } from 'hono/route'
import { auditLog } from '../../../schema/db'
import { campaignJson, findCampaign, variantsOf } from '../../services/campaign-records'
import type { Services } from '../../services/index'
import type { Principal } from '../env'

/** A campaign's JSON longer than this is stored as its first characters, marked truncated. */
export const maxSnapshotChars = 20_000

const uuidPart = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}'
/** A write to one campaign (change, delete, status move), under /campaigns or the per-type /campaigns/{type}. */
const campaignWrite = new RegExp(`^/campaigns/(?:[a-z_]+/)?(${uuidPart})(?:/[a-z_]+)?$`)
/** A campaign's creation. */
const campaignCreate = /^\/campaigns(?:\/[a-z_]+)?\/?$/
const anyId = new RegExp(uuidPart, 'g')

/** A Hono route pattern as the API documents it: `:id` and `:type{[a-z_]+}` become `{id}` and `{type}`. */
const documented = (pattern: string) => pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}')

/** A stored snapshot: the JSON itself, or its first characters when it is too long. */
function bounded(value: unknown): unknown {
  if (value === undefined || value === null) return null
  const text = JSON.stringify(value)
  if (text.length <= maxSnapshotChars) return value
  return { truncated: true, json: text.slice(0, maxSnapshotChars) }
}

async function campaignSnapshot(services: Services, id: string, siteIds: string[]) {
  const row = await findCampaign(services.db, id, siteIds)
  if (!row) return undefined
  const variants = await variantsOf(services.db, [row.id])
  return campaignJson(row, variants.get(row.id) ?? [])
}

/** The id a create answered with (`{"id": …}`), if its answer is JSON. */
async function createdId(c: Context): Promise<string | undefined> {
  if (!c.res.headers.get('content-type')?.includes('application/json')) return undefined
  try {
    const body = (await c.res.clone().json()) as { id?: unknown }
    return typeof body.id === 'string' ? body.id.slice(0, 100) : undefined
  } catch {
    return undefined
  }
}

/**
 * Runs an admin write (`next`) and, if it went through (a status below 400), records it: who, the route pattern,
 * the entity id (the path's last id, or the id a create answered with), and a campaign's JSON before and after.
 */
export async function auditWrite(
  services: Services,
  c: Context,
  principal: Principal,
  path: string,
  next: Next,
): Promise<void> {
  const campaignId = campaignWrite.exec(path)?.[1]
  const before = campaignId ? await campaignSnapshot(services, campaignId, principal.siteIds) : undefined
  await next()
  if (c.res.status >= 400) return
  const ids = path.match(anyId)
  let entityId = ids?.[ids.length - 1]
  let after: Awaited<ReturnType<typeof campaignSnapshot>>
  if (campaignId) {
    after = await campaignSnapshot(services, campaignId, principal.siteIds)
  } else if (c.req.method === 'POST' && campaignCreate.test(path)) {
    entityId = await createdId(c)
    if (entityId) after = await campaignSnapshot(services, entityId, principal.siteIds)
  } else if (!entityId && c.res.status === 201) {
    entityId = await createdId(c)
  }
  const entry = {
    organizationId: principal.organizationId,
    siteId: after?.siteId ?? before?.siteId ?? (principal.kind === 'key' ? principal.siteIds[0] : null),
    actor: principal.actor,
    actorEmail: principal.kind === 'user' ? principal.email : null,
    method: c.req.method.toUpperCase(),
    route: documented(routePath(c)).slice(0, 300),
    entityId: entityId ?? null,
    status: c.res.status,
    before: bounded(before),
    after: bounded(after),
  }
  try {
    await services.db.insert(auditLog).values(entry)
  } catch (error) {
    // The change itself is made: answering it as failed would have the client make it again. Logged loudly.
    services.log.error('audit entry not written', {
      requestId: c.get('requestId'),
      route: entry.route,
      entityId: entry.entityId,
      error: error instanceof Error ? error.name : 'unknown',
    })
  }
}
