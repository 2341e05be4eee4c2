import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import {
  campaignVisitors,
  events,
  identities,
  leadSubmissions,
  leads,
  mailOutbox,
  visitorProfiles,
  visitorRecentViews,
  webhookDeliveries,
} from '../../schema/db'
import type { Db } from '../db'

/**
 * One person's data for privacy requests, by email on the sites in scope: their leads with every submission, the
 * mail written to them and the webhook deliveries that carried them, and the browsing of the visitor ids their
 * submits came from (those ids' profile, identity, recent views and events).
 */

/** Events of a visitor shown in an export: the newest this many. */
export const exportedEventsPerVisitor = 1_000

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

/** The (site, anonymous id) pairs the person's submits came from; `anonymous` is no one in particular. */
async function visitorsOf(db: Db | Tx, leadIds: string[]) {
  if (leadIds.length === 0) return []
  const rows = await db
    .selectDistinct({ siteId: leadSubmissions.siteId, anonymousId: leadSubmissions.anonymousId })
    .from(leadSubmissions)
    .where(inArray(leadSubmissions.leadId, leadIds))
  const fromLeads = await db
    .selectDistinct({ siteId: leads.siteId, anonymousId: leads.anonymousId })
    .from(leads)
    .where(inArray(leads.id, leadIds))
  const seen = new Map<string, { siteId: string; anonymousId: string }>()
  for (const { siteId, anonymousId } of [...rows, ...fromLeads]) {
    if (anonymousId && anonymousId !== 'anonymous')
      seen.set(`${siteId}|${anonymousId}`, { siteId, anonymousId })
  }
  return [...seen.values()]
}

/** The rows of a table keyed by site and visitor that belong to one visitor. */
const visitorIs = (
  table: { siteId: AnyPgColumn; anonymousId: AnyPgColumn },
  { siteId, anonymousId }: { siteId: string; anonymousId: string },
) => and(eq(table.siteId, siteId), eq(table.anonymousId, anonymousId))

/** Deliveries whose payload carries one of these leads (`data.lead.id`). */
const deliveriesOf = (siteIds: string[], leadIds: string[]) =>
  and(
    inArray(webhookDeliveries.siteId, siteIds),
    inArray(sql<string>`${webhookDeliveries.payload} -> 'data' -> 'lead' ->> 'id'`, leadIds),
  )

export async function exportPerson(db: Db, siteIds: string[], email: string) {
  const found = siteIds.length
    ? await db
        .select()
        .from(leads)
        .where(and(inArray(leads.siteId, siteIds), eq(leads.email, email)))
        .orderBy(asc(leads.createdAt))
    : []
  const ids = found.map((lead) => lead.id)
  if (ids.length === 0) return { found, submissions: [], mail: [], deliveries: [], visitors: [] }
  const [submissions, mail, deliveries, pairs] = await Promise.all([
    db
      .select()
      .from(leadSubmissions)
      .where(inArray(leadSubmissions.leadId, ids))
      .orderBy(asc(leadSubmissions.createdAt), asc(leadSubmissions.id)),
    db
      .select()
      .from(mailOutbox)
      .where(inArray(mailOutbox.leadId, ids))
      .orderBy(asc(mailOutbox.createdAt), asc(mailOutbox.id)),
    db
      .select()
      .from(webhookDeliveries)
      .where(deliveriesOf(siteIds, ids))
      .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id)),
    visitorsOf(db, ids),
  ])
  const visitors = await Promise.all(
    pairs.map(async (visitor) => {
      const { siteId, anonymousId } = visitor
      const of = (table: Parameters<typeof visitorIs>[0]) => visitorIs(table, visitor)
      const [profile, identity, recentViews, seen] = await Promise.all([
        db.select().from(visitorProfiles).where(of(visitorProfiles)),
        db.select().from(identities).where(of(identities)),
        db
          .select()
          .from(visitorRecentViews)
          .where(of(visitorRecentViews))
          .orderBy(desc(visitorRecentViews.viewedAt)),
        db
          .select({
            id: events.id,
            name: events.name,
            timestamp: events.timestamp,
            url: events.url,
            referrer: events.referrer,
            campaignId: events.campaignId,
            props: events.props,
            value: events.value,
            currency: events.currency,
          })
          .from(events)
          .where(of(events))
          .orderBy(desc(events.timestamp))
          .limit(exportedEventsPerVisitor),
      ])
      return {
        siteId,
        anonymousId,
        userIds: identity.map((row) => row.userId),
        profile: profile[0] ?? null,
        recentViews: recentViews.map(({ url, viewedAt }) => ({ url, viewedAt })),
        events: seen,
      }
    }),
  )
  return { found, submissions, mail, deliveries, visitors }
}

/**
 * Erases the person in one transaction: their leads, submissions, mail and the webhook deliveries that carried
 * them go; each visitor id their submits came from loses its profile, identity and recent views, and its events
 * stay (the site's counts, reach and attribution do not change) under a new random id with no user id, so
 * nothing left links them to the person.
 */
export async function erasePerson(db: Db, siteIds: string[], email: string) {
  const deleted = { leads: 0, submissions: 0, mail: 0, webhookDeliveries: 0, visitors: 0 }
  if (siteIds.length === 0) return deleted
  await db.transaction(async (tx) => {
    const found = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(inArray(leads.siteId, siteIds), eq(leads.email, email)))
      .for('update')
    const ids = found.map((lead) => lead.id)
    if (ids.length === 0) return
    const pairs = await visitorsOf(tx, ids)
    for (const visitor of pairs) {
      const of = (table: Parameters<typeof visitorIs>[0]) => visitorIs(table, visitor)
      const unlinked = `erased-${crypto.randomUUID()}`
      await tx.update(events).set({ anonymousId: unlinked, userId: null, userData: null }).where(of(events))
      await tx.update(campaignVisitors).set({ anonymousId: unlinked }).where(of(campaignVisitors))
      await tx.delete(visitorProfiles).where(of(visitorProfiles))
      await tx.delete(identities).where(of(identities))
      await tx.delete(visitorRecentViews).where(of(visitorRecentViews))
    }
    // The outbox would only lose its link to the lead (on delete set null): its rows go first, by id.
    const mail = await tx
      .delete(mailOutbox)
      .where(inArray(mailOutbox.leadId, ids))
      .returning({ id: mailOutbox.id })
    const deliveries = await tx
      .delete(webhookDeliveries)
      .where(deliveriesOf(siteIds, ids))
      .returning({ id: webhookDeliveries.id })
    const submissions = await tx
      .delete(leadSubmissions)
      .where(inArray(leadSubmissions.leadId, ids))
      .returning({ id: leadSubmissions.id })
    const gone = await tx.delete(leads).where(inArray(leads.id, ids)).returning({ id: leads.id })
    Object.assign(deleted, {
      leads: gone.length,
      submissions: submissions.length,
      mail: mail.length,
      webhookDeliveries: deliveries.length,
      visitors: pairs.length,
    })
  })
  return deleted
}
