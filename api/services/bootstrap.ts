import { asc, eq } from 'drizzle-orm'
import { type CampaignType, creative, type Frequency } from '../../schema/campaign'
import {
  campaigns,
  instanceSecrets,
  organizations,
  secretKeys,
  sites,
  users,
  variants,
} from '../../schema/db'
import { defaultFrequency, parseConfig } from '../../schema/types/index'
import type { Db } from '../ports/database'
import { createSecretKey, newPublishableKey, randomToken, sha256Hex } from './auth/keys'
import { hashPassword, verifyPassword } from './auth/password'

export interface BootstrapOptions {
  /** The server's own origins (http://localhost:PORT …) plus PROMO_ALLOWED_ORIGINS. */
  allowedOrigins: string[]
  /** Where the demo page lives, for the demo creatives' images and links. */
  demoOrigin: string
  /** The types whose demo campaigns the new site starts with (api/promotions.ts); none when absent. */
  types?: DemoTypes
  publishableKey?: string
  secretKey?: string
  adminEmail?: string
  adminPassword?: string
}

export interface BootstrapResult {
  created: boolean
  siteId: string
  publishableKey: string
  adminEmail: string
  /** Only known when created now (or given in the environment): stored hashed, never shown again. */
  secretKey?: string
  adminPassword?: string
}

/**
 * On an empty database: an organization, a demo site with keys, an admin user and three demo campaigns, so
 * `npm start` shows something real at once. On later starts: makes sure the first site accepts the server's
 * current origins (the port may have changed).
 */
export async function bootstrap(db: Db, options: BootstrapOptions): Promise<BootstrapResult> {
  const [existing] = await db.select().from(sites).orderBy(asc(sites.createdAt)).limit(1)
  if (existing) {
    const origins = [...new Set([...existing.allowedOrigins, ...options.allowedOrigins])]
    if (origins.length !== existing.allowedOrigins.length) {
      await db.update(sites).set({ allowedOrigins: origins }).where(eq(sites.id, existing.id))
    }
    if (options.secretKey) await ensureSecretKey(db, existing.id, options.secretKey)
    const [admin] = await db.select().from(users).orderBy(asc(users.createdAt)).limit(1)
    if (
      admin &&
      options.adminPassword &&
      !(await verifyPassword(options.adminPassword, admin.passwordHash))
    ) {
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(options.adminPassword) })
        .where(eq(users.id, admin.id))
    }
    return {
      created: false,
      siteId: existing.id,
      publishableKey: existing.publishableKey,
      adminEmail: admin?.email ?? '',
      ...(options.secretKey ? { secretKey: options.secretKey } : {}),
      ...(options.adminPassword ? { adminPassword: options.adminPassword } : {}),
    }
  }

  const adminEmail = (options.adminEmail ?? 'admin@promo.local').toLowerCase()
  const adminPassword = options.adminPassword ?? randomToken(16)
  const passwordHash = await hashPassword(adminPassword)
  return db.transaction(async (tx) => {
    const [org] = await tx.insert(organizations).values({ name: 'Demo organization' }).returning()
    const [site] = await tx
      .insert(sites)
      .values({
        organizationId: org!.id,
        name: 'Demo shop',
        allowedOrigins: options.allowedOrigins,
        publishableKey: options.publishableKey ?? newPublishableKey(),
      })
      .returning()
    const secret = await createSecretKey(tx, site!.id, options.secretKey)
    await tx.insert(users).values({ organizationId: org!.id, email: adminEmail, name: 'Admin', passwordHash })
    await seedCampaigns(tx, site!.id, options.demoOrigin, options.types ?? {})
    return {
      created: true,
      siteId: site!.id,
      publishableKey: site!.publishableKey,
      adminEmail,
      secretKey: secret.key,
      adminPassword,
    }
  })
}

async function ensureSecretKey(db: Db, siteId: string, key: string): Promise<void> {
  const [found] = await db
    .select({ id: secretKeys.id })
    .from(secretKeys)
    .where(eq(secretKeys.hash, await sha256Hex(key)))
  if (!found) await createSecretKey(db, siteId, key)
}

/** A demo campaign as the bootstrap creates it on an empty database, with one variant. */
export interface DemoCampaign {
  name: string
  status: 'active' | 'draft'
  objective: string
  placements: string[]
  config: Record<string, unknown>
  creative: Record<string, unknown>
  /** The type's default caps when absent. */
  frequency?: Frequency
}

/** What the bootstrap asks of a promotion type: the demo site's campaigns of it. */
export type DemoTypes = Readonly<
  Partial<Record<CampaignType, { demo?(origin: string): readonly DemoCampaign[] }>>
>

async function seedCampaigns(db: Db, siteId: string, origin: string, types: DemoTypes): Promise<void> {
  for (const [type, serverType] of Object.entries(types) as [
    CampaignType,
    NonNullable<DemoTypes[CampaignType]>,
  ][]) {
    for (const seed of serverType.demo?.(origin) ?? []) {
      // Seeds go through the same schemas as the API, so the demo never holds a config the API would refuse.
      const config = parseConfig(type, seed.config)
      const creativeCheck = creative.safeParse(seed.creative)
      if (!config.success || !creativeCheck.success) throw new Error(`invalid demo campaign: ${seed.name}`)
      const [row] = await db
        .insert(campaigns)
        .values({
          siteId,
          name: seed.name,
          type,
          status: seed.status,
          objective: seed.objective,
          placements: seed.placements,
          schedule: { timezone: 'UTC' },
          targeting: {},
          frequency: seed.frequency ?? defaultFrequency(type),
          config: config.data,
          createdBy: 'bootstrap',
        })
        .returning({ id: campaigns.id })
      await db
        .insert(variants)
        .values({ campaignId: row!.id, name: 'A', weight: 1, position: 0, creative: creativeCheck.data })
    }
  }
}

/** The click-signing secret: from the environment, else one made on first start and kept in the database. */
export async function signingSecret(db: Db, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv
  const name = 'click-signing'
  await db
    .insert(instanceSecrets)
    .values({ name, value: randomToken(48) })
    .onConflictDoNothing()
  const [row] = await db.select().from(instanceSecrets).where(eq(instanceSecrets.name, name))
  return row!.value
}
