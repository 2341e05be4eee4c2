import { and, asc, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm'
import type { AnyPgColumn } from 'drizzle-orm/pg-core'
import type { Db } from '../../../api/ports/database'
import { sha256Hex } from '../../../api/services/auth/keys'
import type { PersonalData, Visitor } from '../../../api/services/personal-data'
import {
  audienceMemberships,
  campaignVisitors,
  contentSightings,
  events,
  exposures,
  identities,
  leadSubmissions,
  leads,
  mailOutbox,
  visitorProfiles,
  visitorRecentViews,
  webhookDeliveries,
} from '../../../schema/db'

/**
 * One person's data for privacy requests, by email on the sites in scope: their leads with every submission, the
 * mail written to them and the webhook deliveries that carried them (also those whose lead is gone); the visitor ids that are theirs (those their
 * submits came from, those identified with their email as user id or trait, those a server conversion hashed
 * with their email came from, and every visitor identified as one of those visitors' user ids: another device)
 * with each one's profile, identity, recent views, campaigns seen and events; and server conversions that name
 * them by their email's hash or user id without any visitor id.
 */

/** Events of a visitor shown in an export: the newest this many. */
export const exportedEventsPerVisitor = 1_000

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0]

export type { Visitor }

/** The anonymous id that stands for nobody: a submit sent without one, a server conversion no page identified. */
const nobody = (anonymousId: string | null): anonymousId is null =>
  !anonymousId || anonymousId === 'anonymous'

/** The rows of a table keyed by site and visitor that belong to one visitor. */
const visitorIs = (
  table: { siteId: AnyPgColumn; anonymousId: AnyPgColumn },
  { siteId, anonymousId }: Visitor,
) => and(eq(table.siteId, siteId), eq(table.anonymousId, anonymousId))

/** Events whose `user_data` names the person: their email's SHA-256 (`em`) or one of their user ids. */
function namedIn(siteIds: string[], emailHash: string, userIds: { siteId: string; userId: string }[]) {
  const names: SQL[] = [
    and(
      inArray(events.siteId, siteIds),
      sql`${events.userData} @> ${JSON.stringify({ em: [emailHash] })}::jsonb`,
    )!,
    ...userIds.map(
      ({ siteId, userId }) =>
        and(
          eq(events.siteId, siteId),
          sql`${events.userData} @> ${JSON.stringify({ external_id: [userId] })}::jsonb`,
        )!,
    ),
  ]
  return and(sql`${events.userData} is not null`, or(...names))
}

/**
 * Who the person is on the sites in scope: their visitor ids and user ids, found from their leads, from
 * identities and profiles that carry the email, and from server conversions that name its hash; then every
 * visitor identified as one of those user ids.
 */
async function personOf(db: Db | Tx, siteIds: string[], email: string, leadIds: string[]) {
  const emailHash = await sha256Hex(email)
  const visitors = new Map<string, Visitor>()
  const userIds = new Map<string, { siteId: string; userId: string }>()
  const addVisitor = (siteId: string, anonymousId: string | null) => {
    if (!nobody(anonymousId)) visitors.set(`${siteId}|${anonymousId}`, { siteId, anonymousId })
  }
  const addUser = (siteId: string, userId: string | null) => {
    if (userId) userIds.set(`${siteId}|${userId}`, { siteId, userId })
  }
  if (siteIds.length === 0) return { emailHash, visitors: [], userIds: [] }
  if (leadIds.length > 0) {
    const submitted = await db
      .selectDistinct({ siteId: leadSubmissions.siteId, anonymousId: leadSubmissions.anonymousId })
      .from(leadSubmissions)
      .where(inArray(leadSubmissions.leadId, leadIds))
    const fromLeads = await db
      .selectDistinct({ siteId: leads.siteId, anonymousId: leads.anonymousId })
      .from(leads)
      .where(inArray(leads.id, leadIds))
    for (const row of [...submitted, ...fromLeads]) addVisitor(row.siteId, row.anonymousId)
  }
  const mailed = (traits: AnyPgColumn) => sql`lower(${traits} ->> 'email') = ${email}`
  const identified = await db
    .select({ siteId: identities.siteId, anonymousId: identities.anonymousId, userId: identities.userId })
    .from(identities)
    .where(
      and(
        inArray(identities.siteId, siteIds),
        or(sql`lower(${identities.userId}) = ${email}`, mailed(identities.traits)),
      ),
    )
  const profiled = await db
    .select({
      siteId: visitorProfiles.siteId,
      anonymousId: visitorProfiles.anonymousId,
      userId: visitorProfiles.userId,
    })
    .from(visitorProfiles)
    .where(and(inArray(visitorProfiles.siteId, siteIds), mailed(visitorProfiles.traits)))
  const hashed = await db
    .selectDistinct({ siteId: events.siteId, anonymousId: events.anonymousId, userId: events.userId })
    .from(events)
    .where(namedIn(siteIds, emailHash, []))
  for (const row of [...identified, ...profiled, ...hashed]) {
    addVisitor(row.siteId, row.anonymousId)
    addUser(row.siteId, row.userId)
  }
  // The user ids those visitors were identified as, and then every visitor seen as one of them.
  for (const table of [identities, visitorProfiles] as const) {
    for (const visitor of visitors.values()) {
      const rows = await db.select({ userId: table.userId }).from(table).where(visitorIs(table, visitor))
      for (const row of rows) addUser(visitor.siteId, row.userId)
    }
  }
  for (const { siteId, userId } of userIds.values()) {
    const devices = await db
      .select({ anonymousId: identities.anonymousId })
      .from(identities)
      .where(and(eq(identities.siteId, siteId), eq(identities.userId, userId)))
    for (const row of devices) addVisitor(siteId, row.anonymousId)
  }
  return { emailHash, visitors: [...visitors.values()], userIds: [...userIds.values()] }
}

/**
 * Deliveries whose payload carries one of these leads (`data.lead.id`) or the email: a lead the retention sweep
 * deleted may have left deliveries behind, kept for as long as the site keeps its delivery log.
 */
const deliveriesOf = (siteIds: string[], leadIds: string[], email: string) => {
  const lead = sql`${webhookDeliveries.payload} -> 'data' -> 'lead'`
  return and(
    inArray(webhookDeliveries.siteId, siteIds),
    or(
      leadIds.length ? inArray(sql<string>`${lead} ->> 'id'`, leadIds) : undefined,
      sql`lower(${lead} ->> 'email') = ${email}`,
    ),
  )
}

/** Mail to one of these leads or to the email (the same: mail whose lead is gone keeps its address). */
const mailOf = (siteIds: string[], leadIds: string[], email: string) =>
  and(
    inArray(mailOutbox.siteId, siteIds),
    or(
      leadIds.length ? inArray(mailOutbox.leadId, leadIds) : undefined,
      sql`lower(${mailOutbox.to}) = ${email}`,
    ),
  )

const leadsOf = (db: Db | Tx, siteIds: string[], email: string) =>
  siteIds.length
    ? db
        .select()
        .from(leads)
        .where(and(inArray(leads.siteId, siteIds), eq(leads.email, email)))
        .orderBy(asc(leads.createdAt))
    : Promise.resolve([])

const exportedEvent = {
  id: events.id,
  name: events.name,
  timestamp: events.timestamp,
  url: events.url,
  referrer: events.referrer,
  campaignId: events.campaignId,
  props: events.props,
  value: events.value,
  currency: events.currency,
}

export async function exportPerson(
  db: Db,
  siteIds: string[],
  email: string,
  /** The promotion types' parts of each visitor's data (services.personalData). */
  typeData: readonly PersonalData[] = [],
) {
  const found = await leadsOf(db, siteIds, email)
  const ids = found.map((lead) => lead.id)
  const person = await personOf(db, siteIds, email, ids)
  const [submissions, mail, deliveries, serverEvents] = await Promise.all([
    ids.length
      ? db
          .select()
          .from(leadSubmissions)
          .where(inArray(leadSubmissions.leadId, ids))
          .orderBy(asc(leadSubmissions.createdAt), asc(leadSubmissions.id))
      : [],
    siteIds.length
      ? db
          .select()
          .from(mailOutbox)
          .where(mailOf(siteIds, ids, email))
          .orderBy(asc(mailOutbox.createdAt), asc(mailOutbox.id))
      : [],
    siteIds.length
      ? db
          .select()
          .from(webhookDeliveries)
          .where(deliveriesOf(siteIds, ids, email))
          .orderBy(asc(webhookDeliveries.createdAt), asc(webhookDeliveries.id))
      : [],
    siteIds.length
      ? db
          .select({
            siteId: events.siteId,
            ...exportedEvent,
            source: events.source,
            userId: events.userId,
            userData: events.userData,
          })
          .from(events)
          .where(namedIn(siteIds, person.emailHash, person.userIds))
          .orderBy(desc(events.timestamp))
          .limit(exportedEventsPerVisitor)
      : [],
  ])
  const visitors = await Promise.all(
    person.visitors.map(async (visitor) => {
      const { siteId, anonymousId } = visitor
      const of = (table: Parameters<typeof visitorIs>[0]) => visitorIs(table, visitor)
      const [profile, identity, recentViews, campaignsSeen, exposed, stays, sightings, seen, ...typed] =
        await Promise.all([
          db.select().from(visitorProfiles).where(of(visitorProfiles)),
          db.select().from(identities).where(of(identities)),
          db
            .select()
            .from(visitorRecentViews)
            .where(of(visitorRecentViews))
            .orderBy(desc(visitorRecentViews.viewedAt)),
          db
            .select({ campaignId: campaignVisitors.campaignId, impressions: campaignVisitors.impressions })
            .from(campaignVisitors)
            .where(of(campaignVisitors))
            .orderBy(asc(campaignVisitors.campaignId)),
          db
            .select({ campaignId: exposures.campaignId, arm: exposures.arm, firstAt: exposures.firstAt })
            .from(exposures)
            .where(of(exposures))
            .orderBy(asc(exposures.firstAt)),
          db
            .select({
              audienceKey: audienceMemberships.audienceKey,
              enteredAt: audienceMemberships.enteredAt,
              exitedAt: audienceMemberships.exitedAt,
            })
            .from(audienceMemberships)
            .where(of(audienceMemberships))
            .orderBy(asc(audienceMemberships.enteredAt)),
          db
            .select({ url: contentSightings.url, day: contentSightings.day })
            .from(contentSightings)
            .where(of(contentSightings))
            .orderBy(asc(contentSightings.day), asc(contentSightings.url)),
          db
            .select(exportedEvent)
            .from(events)
            .where(of(events))
            .orderBy(desc(events.timestamp))
            .limit(exportedEventsPerVisitor),
          ...typeData.map((data) => data.export(db, visitor)),
        ])
      return {
        siteId,
        anonymousId,
        userIds: identity.map((row) => row.userId),
        traits: identity[0]?.traits ?? null,
        profile: profile[0] ?? null,
        recentViews: recentViews.map(({ url, viewedAt }) => ({ url, viewedAt })),
        campaigns: campaignsSeen,
        /** Campaigns with a holdout: whether each was shown to them or held back, and when first. */
        exposures: exposed,
        /** The audiences they were in (a saved audience's key, or `c_` and a campaign's id), from when to when. */
        audiences: stays,
        pagesReported: sightings,
        events: seen,
        ...Object.fromEntries(typeData.map((data, i) => [data.name, typed[i]])),
      }
    }),
  )
  // The types' rows that name the email itself (RSVPs), linked to a visitor or not.
  const byEmail: Record<string, unknown> = {}
  for (const data of typeData) {
    if (data.byEmail) byEmail[data.name] = await data.byEmail.export(db, siteIds, email)
  }
  return {
    found,
    submissions,
    mail,
    deliveries,
    visitors,
    serverEvents,
    ...(Object.keys(byEmail).length > 0 ? { byEmail } : {}),
  }
}

/**
 * Erases the person in one transaction: their leads, submissions, mail and the webhook deliveries that carried
 * them go; each of their visitor ids loses its profile, identity and recent views, and its events and campaign
 * impressions stay (the site's counts, reach, frequency and attribution do not change) under a new random id
 * with no user id or user data, so nothing left links them to the person; server conversions that named them
 * without a visitor id lose their user id and user data the same way. `forget` clears copies kept elsewhere
 * first, inside the transaction: when it fails, nothing is erased and the request can be made again.
 */
export async function erasePerson(
  db: Db,
  siteIds: string[],
  email: string,
  /** Told the person's visitors before anything is erased (the serving store's copies); throwing erases nothing. */
  forget: (visitors: Visitor[]) => Promise<void> = async () => {},
  /** The promotion types' parts of each visitor's data (services.personalData). */
  typeData: readonly PersonalData[] = [],
) {
  const deleted = {
    leads: 0,
    submissions: 0,
    mail: 0,
    webhookDeliveries: 0,
    visitors: 0,
    serverEvents: 0,
  }
  /** The types' rows naming the email (RSVPs), by the type's part name; in the answer when a type has any. */
  const byEmail: Record<string, number> = {}
  const typed = typeData.filter((data) => data.byEmail)
  const answer = () => (typed.length > 0 ? { ...deleted, byEmail } : deleted)
  if (siteIds.length === 0) {
    for (const data of typed) byEmail[data.name] = 0
    return answer()
  }
  await db.transaction(async (tx) => {
    const found = await tx
      .select({ id: leads.id })
      .from(leads)
      .where(and(inArray(leads.siteId, siteIds), eq(leads.email, email)))
      .for('update')
    const ids = found.map((lead) => lead.id)
    const person = await personOf(tx, siteIds, email, ids)
    if (person.visitors.length > 0) await forget(person.visitors)
    for (const visitor of person.visitors) {
      const of = (table: Parameters<typeof visitorIs>[0]) => visitorIs(table, visitor)
      const unlinked = `erased-${crypto.randomUUID()}`
      await tx.update(events).set({ anonymousId: unlinked, userId: null, userData: null }).where(of(events))
      await tx.update(campaignVisitors).set({ anonymousId: unlinked }).where(of(campaignVisitors))
      await tx.update(exposures).set({ anonymousId: unlinked }).where(of(exposures))
      // Their stays end now and lose their visitor: the audiences' size history keeps its counts.
      await tx
        .update(audienceMemberships)
        .set({ exitedAt: sql`coalesce(${audienceMemberships.exitedAt}, now())` })
        .where(of(audienceMemberships))
      await tx.update(audienceMemberships).set({ anonymousId: unlinked }).where(of(audienceMemberships))
      await tx.delete(visitorProfiles).where(of(visitorProfiles))
      await tx.delete(identities).where(of(identities))
      await tx.delete(visitorRecentViews).where(of(visitorRecentViews))
      await tx.delete(contentSightings).where(of(contentSightings))
      for (const data of typeData) await data.erase(tx, visitor, unlinked)
    }
    for (const data of typed) byEmail[data.name] = await data.byEmail!.erase(tx, siteIds, email)
    const named = await tx
      .update(events)
      .set({ userId: null, userData: null })
      .where(namedIn(siteIds, person.emailHash, person.userIds))
      .returning({ id: events.id })
    // The outbox would only lose its link to the lead (on delete set null): its rows go first.
    const mail = await tx
      .delete(mailOutbox)
      .where(mailOf(siteIds, ids, email))
      .returning({ id: mailOutbox.id })
    const deliveries = await tx
      .delete(webhookDeliveries)
      .where(deliveriesOf(siteIds, ids, email))
      .returning({ id: webhookDeliveries.id })
    Object.assign(deleted, {
      visitors: person.visitors.length,
      serverEvents: named.length,
      mail: mail.length,
      webhookDeliveries: deliveries.length,
    })
    if (ids.length === 0) return
    const submissions = await tx
      .delete(leadSubmissions)
      .where(inArray(leadSubmissions.leadId, ids))
      .returning({ id: leadSubmissions.id })
    const gone = await tx.delete(leads).where(inArray(leads.id, ids)).returning({ id: leads.id })
    Object.assign(deleted, { leads: gone.length, submissions: submissions.length })
  })
  return answer()
}
