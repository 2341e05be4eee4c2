import { and, asc, eq, inArray } from 'drizzle-orm'
import type { VariantInput } from '../../schema/campaign'
import { campaigns, variants } from '../../schema/db'
import type { Db } from '../ports/database'

type CampaignRow = typeof campaigns.$inferSelect
type VariantRow = typeof variants.$inferSelect

/** The API's JSON for a campaign: the row plus its variants, in order. */
export function campaignJson(row: CampaignRow, variantRows: VariantRow[]) {
  return {
    id: row.id,
    siteId: row.siteId,
    name: row.name,
    type: row.type,
    status: row.status,
    objective: row.objective,
    priority: row.priority,
    weight: row.weight,
    placements: row.placements,
    schedule: row.schedule,
    targeting: row.targeting,
    frequency: row.frequency,
    experiment: row.experiment,
    pacing: row.pacing,
    cost: row.cost,
    config: row.config,
    variants: variantRows.map((v) => ({ id: v.id, name: v.name, weight: v.weight, creative: v.creative })),
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}
export type CampaignJson = ReturnType<typeof campaignJson>

export async function variantsOf(db: Db, campaignIds: string[]): Promise<Map<string, VariantRow[]>> {
  const byCampaign = new Map<string, VariantRow[]>(campaignIds.map((id) => [id, []]))
  if (campaignIds.length === 0) return byCampaign
  const rows = await db
    .select()
    .from(variants)
    .where(inArray(variants.campaignId, campaignIds))
    .orderBy(asc(variants.position))
  for (const row of rows) byCampaign.get(row.campaignId)?.push(row)
  return byCampaign
}

/** A campaign the principal may see, or undefined: another organization's campaign simply does not exist. */
export async function findCampaign(db: Db, id: string, siteIds: string[]): Promise<CampaignRow | undefined> {
  if (siteIds.length === 0) return undefined
  const [row] = await db
    .select()
    .from(campaigns)
    .where(and(eq(campaigns.id, id), inArray(campaigns.siteId, siteIds)))
    .limit(1)
  return row
}

/**
 * Replaces a campaign's variants with the given list inside the caller's transaction. A variant that keeps its
 * `id` keeps its identity (and its events); ids that do not belong to this campaign are treated as new.
 */
export async function replaceVariants(tx: Db, campaignId: string, list: VariantInput[]): Promise<void> {
  const existing = await tx
    .select({ id: variants.id })
    .from(variants)
    .where(eq(variants.campaignId, campaignId))
  const existingIds = new Set(existing.map((v) => v.id))
  const keep = new Set<string>()
  for (const [position, input] of list.entries()) {
    const values = { name: input.name, weight: input.weight, creative: input.creative, position }
    if (input.id && existingIds.has(input.id) && !keep.has(input.id)) {
      keep.add(input.id)
      await tx.update(variants).set(values).where(eq(variants.id, input.id))
    } else {
      await tx.insert(variants).values({ ...values, campaignId })
    }
  }
  const drop = [...existingIds].filter((id) => !keep.has(id))
  if (drop.length) await tx.delete(variants).where(inArray(variants.id, drop))
}
