import { getTableColumns, sql } from 'drizzle-orm'
import type { Db } from '../../../api/ports/database'
import { stores } from '../../../schema/db'
import type { StoreInput } from '../store'

export type StoreRow = typeof stores.$inferSelect

/** A store row as the admin API answers it. */
export function storeJson(row: StoreRow) {
  return {
    id: row.id,
    siteId: row.siteId,
    ref: row.ref,
    name: row.name,
    street: row.street,
    city: row.city,
    ...(row.region === null ? {} : { region: row.region }),
    ...(row.postalCode === null ? {} : { postalCode: row.postalCode }),
    country: row.country,
    lat: row.lat,
    lng: row.lng,
    ...(row.phone === null ? {} : { phone: row.phone }),
    ...(row.url === null ? {} : { url: row.url }),
    timeZone: row.timeZone,
    hours: row.hours,
    specialDays: row.specialDays,
    services: row.services,
    inventory: row.inventory,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }
}

const columnsOf = (input: StoreInput) => ({
  ref: input.ref,
  name: input.name,
  street: input.street,
  city: input.city,
  region: input.region ?? null,
  postalCode: input.postalCode ?? null,
  country: input.country,
  lat: input.lat,
  lng: input.lng,
  phone: input.phone ?? null,
  url: input.url ?? null,
  timeZone: input.timeZone,
  hours: input.hours,
  specialDays: input.specialDays,
  services: input.services,
  inventory: input.inventory,
})

/** Rows one insert statement carries. */
const chunk = 200

/**
 * Creates or replaces stores by their `ref`, all in one transaction (all or none); answers each with whether it
 * was created, in the input's order.
 */
export async function upsertStores(
  db: Db,
  siteId: string,
  inputs: readonly StoreInput[],
  now: Date,
): Promise<{ row: StoreRow; created: boolean }[]> {
  if (inputs.length === 0) return []
  const out = await db.transaction(async (tx) => {
    const stored: { row: StoreRow; created: boolean }[] = []
    const ordered = [...inputs].sort((a, b) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0))
    for (let start = 0; start < ordered.length; start += chunk) {
      const rows = await tx
        .insert(stores)
        .values(
          ordered
            .slice(start, start + chunk)
            .map((input) => ({ ...columnsOf(input), siteId, createdAt: now, updatedAt: now })),
        )
        .onConflictDoUpdate({
          target: [stores.siteId, stores.ref],
          set: {
            name: sql`excluded.name`,
            street: sql`excluded.street`,
            city: sql`excluded.city`,
            region: sql`excluded.region`,
            postalCode: sql`excluded.postal_code`,
            country: sql`excluded.country`,
            lat: sql`excluded.lat`,
            lng: sql`excluded.lng`,
            phone: sql`excluded.phone`,
            url: sql`excluded.url`,
            timeZone: sql`excluded.time_zone`,
            hours: sql`excluded.hours`,
            specialDays: sql`excluded.special_days`,
            services: sql`excluded.services`,
            inventory: sql`excluded.inventory`,
            updatedAt: sql`excluded.updated_at`,
          },
        })
        // xmax is 0 on a row this statement inserted.
        .returning({ ...getTableColumns(stores), created: sql<boolean>`(xmax = 0)` })
      for (const { created, ...row } of rows) stored.push({ row, created: Boolean(created) })
    }
    return stored
  })
  const byRef = new Map(out.map((entry) => [entry.row.ref, entry]))
  return inputs.map((input) => byRef.get(input.ref)!)
}
