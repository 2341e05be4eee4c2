import { z } from 'zod'
import { fieldProblem, time, uuid } from '../../schema/api'
import { specialDay, weeklySpan } from './store'

/**
 * What local_business's endpoints answer (server/routes.ts, server/locator.ts): the schemas its OpenAPI docs
 * (server/docs.ts), its tests and its admin screens read the answers through.
 */
export const storeAnswer = z
  .object({
    id: uuid,
    siteId: uuid,
    ref: z.string(),
    name: z.string(),
    street: z.string(),
    city: z.string(),
    region: z.string().optional(),
    postalCode: z.string().optional(),
    country: z.string(),
    lat: z.number(),
    lng: z.number(),
    phone: z.string().optional(),
    url: z.string().optional(),
    timeZone: z.string(),
    hours: z.array(weeklySpan),
    specialDays: z.array(specialDay),
    services: z.array(z.string()),
    inventory: z.record(z.string(), z.number().int()),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Store' })
export type StoreAnswer = z.infer<typeof storeAnswer>

export const storeImportResult = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  /** Always empty: a file with a wrong line is refused whole (400, each wrong line in the error's details). */
  rejected: z.array(z.object({ line: z.number().int(), errors: z.array(fieldProblem) })),
})

const localMoment = z.object({ date: z.string(), weekday: z.number().int(), time: z.string() })

export const nearStore = z
  .object({
    ref: z.string(),
    name: z.string(),
    street: z.string(),
    city: z.string(),
    postalCode: z.string().nullable(),
    country: z.string(),
    lat: z.number(),
    lng: z.number(),
    phone: z.string().nullable(),
    url: z.string().nullable(),
    services: z.array(z.string()),
    distance: z.number().nullable(),
    open: z.boolean(),
    closesAt: localMoment.nullable(),
    opensAt: localMoment.nullable(),
    inStock: z.boolean().nullable(),
  })
  .meta({ id: 'NearStore' })
export type NearStore = z.infer<typeof nearStore>

export const locatorAnswer = z.object({
  /** Where the origin came from: the typed place, the browser's position, the network, or nowhere. */
  from: z.enum(['query', 'position', 'network', 'none']),
  /** False when the typed place or the network's area matched nothing. */
  located: z.boolean(),
  unit: z.enum(['km', 'mi']),
  stores: z.array(nearStore),
})
export type LocatorAnswer = z.infer<typeof locatorAnswer>
