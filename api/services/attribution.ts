import { and, eq, gte, inArray, isNotNull, lt, lte } from 'drizzle-orm'
import {
  type AttributionSettings,
  attributionModels,
  defaultAttributionSettings,
} from '../../schema/attribution'
import { attributions, events, sites } from '../../schema/db'
import { attributeAll, type Touch } from '../core/attribution'
import type { Db } from '../ports/database'
import { conversionEvents } from './active-campaigns'
import { addToRollups, creditMetric, type Increment, none } from './analytics/rollups'

type StoredEvent = typeof events.$inferInsert
type CreditRow = typeof attributions.$inferInsert

const dayMs = 86_400_000
const conversionNames: ReadonlySet<string> = new Set(conversionEvents)
/** 9 columns a row: well under PostgreSQL's 65,535 parameters per statement. */
const rowsPerInsert = 5_000

/**
 * Credits the newly stored conversions of one site to the campaign touches that led to them, under every
 * model, with the site's settings. Run inside the transaction that stored the events, after them, so touches
 * stored in the same batch count and the credit commits with its conversion. A conversion without a visitor
 * (a server event no page identified) has no touches and earns no credit; neither does one without an
 * eligible touch. Rows already there are left alone, so storing the same conversion again adds nothing.
 * Returns the credit newly stored, as rollup increments.
 */
export async function attributeConversions(
  tx: Db,
  siteId: string,
  stored: readonly StoredEvent[],
): Promise<Increment[]> {
  const conversions = stored.filter((event) => conversionNames.has(event.name) && event.anonymousId !== '')
  if (conversions.length === 0) return []
  const settings = await settingsOf(tx, siteId)
  const touches = await touchesOf(tx, siteId, conversions, settings)
  const rows: CreditRow[] = []
  for (const conversion of conversions) {
    const at = +conversion.timestamp
    const byModel = attributeAll(
      { at, value: conversion.value ?? 0 },
      touches.get(conversion.anonymousId) ?? [],
      settings,
    )
    for (const model of attributionModels) {
      for (const credit of byModel[model]) {
        rows.push({
          conversionId: conversion.id,
          siteId,
          model,
          campaignId: credit.campaignId,
          variantId: credit.variantId ?? null,
          touchId: credit.touchId,
          weight: credit.weight,
          value: credit.value,
          conversionAt: conversion.timestamp,
        })
      }
    }
  }
  const credited: Increment[] = []
  const byId = new Map(conversions.map((c) => [c.id, c]))
  for (let i = 0; i < rows.length; i += rowsPerInsert) {
    const inserted = await tx
      .insert(attributions)
      .values(rows.slice(i, i + rowsPerInsert))
      .onConflictDoNothing()
      .returning()
    for (const row of inserted) {
      const conversion = byId.get(row.conversionId)
      credited.push({
        campaignId: row.campaignId,
        variantId: row.variantId ?? none,
        at: row.conversionAt,
        metric: creditMetric(row.model),
        n: row.weight,
        value: row.value,
        device: conversion?.device,
        country: conversion?.country,
      })
    }
  }
  return credited
}

/** The site's attribution settings (windows, half-life, position weights), or the defaults. */
export async function settingsOf(tx: Db, siteId: string): Promise<AttributionSettings> {
  const [site] = await tx.select({ attribution: sites.attribution }).from(sites).where(eq(sites.id, siteId))
  return site?.attribution ?? defaultAttributionSettings
}

/**
 * Every converting visitor's campaign clicks and viewable impressions that any of the conversions could credit,
 * in one query: from a lookback window before the earliest conversion to the latest one. The engine then keeps,
 * per conversion, those inside its own windows. Types crediting other events the way conversions are (sales'
 * funnel) read touches through it too, so there is one notion of a touch.
 */
export async function touchesOf(
  tx: Db,
  siteId: string,
  conversions: readonly Pick<StoredEvent, 'anonymousId' | 'timestamp'>[],
  settings: AttributionSettings,
): Promise<Map<string, Touch[]>> {
  const times = conversions.map((c) => +c.timestamp)
  const { clickWindowDays, viewWindowDays } = settings
  const lookbackMs = Math.max(clickWindowDays, viewWindowDays) * dayMs
  const rows = await tx
    .select({
      id: events.id,
      anonymousId: events.anonymousId,
      campaignId: events.campaignId,
      variantId: events.variantId,
      kind: events.name,
      at: events.timestamp,
    })
    .from(events)
    .where(
      and(
        eq(events.siteId, siteId),
        inArray(events.anonymousId, [...new Set(conversions.map((c) => c.anonymousId))]),
        inArray(events.name, ['click', 'viewable']),
        isNotNull(events.campaignId),
        gte(events.timestamp, new Date(Math.min(...times) - lookbackMs)),
        lte(events.timestamp, new Date(Math.max(...times))),
      ),
    )
  const byVisitor = new Map<string, Touch[]>()
  for (const row of rows) {
    const touch: Touch = { id: row.id, campaignId: row.campaignId!, kind: row.kind, at: +row.at }
    if (row.variantId) touch.variantId = row.variantId
    const list = byVisitor.get(row.anonymousId)
    if (list) list.push(touch)
    else byVisitor.set(row.anonymousId, [touch])
  }
  return byVisitor
}

/** Conversions credited again in one statement at most. */
const recomputeChunk = 5_000

/**
 * Credits a range's conversions again under the site's current settings (after its windows or weights
 * changed), in one transaction: the old credit leaves the rollups, the new credit joins them. Touches are read
 * as ingest reads them, so the answer is what ingest would have stored had the settings been in place.
 */
export async function reattribute(db: Db, siteId: string, from: Date, to: Date) {
  return db.transaction(async (tx) => {
    const inRange = and(
      eq(attributions.siteId, siteId),
      gte(attributions.conversionAt, from),
      lt(attributions.conversionAt, to),
    )
    const old = await tx.delete(attributions).where(inRange).returning()
    const conversions = await tx
      .select()
      .from(events)
      .where(
        and(
          eq(events.siteId, siteId),
          inArray(events.name, [...conversionNames]),
          gte(events.timestamp, from),
          lt(events.timestamp, to),
        ),
      )
    const where = new Map(conversions.map((c) => [c.id, c]))
    const changes: Increment[] = old.map((row) => ({
      campaignId: row.campaignId,
      variantId: row.variantId ?? none,
      at: row.conversionAt,
      metric: creditMetric(row.model),
      n: -row.weight,
      value: -row.value,
      device: where.get(row.conversionId)?.device,
      country: where.get(row.conversionId)?.country,
    }))
    for (let i = 0; i < conversions.length; i += recomputeChunk) {
      changes.push(...(await attributeConversions(tx, siteId, conversions.slice(i, i + recomputeChunk))))
    }
    await addToRollups(tx, siteId, changes)
    const credits = changes.filter((c) => c.n > 0).length
    return { conversions: conversions.length, credits }
  })
}
