import { asc, eq } from 'drizzle-orm'
import { creative, defaultFrequency } from '../../schema/campaign'
import {
  campaigns,
  instanceSecrets,
  organizations,
  secretKeys,
  sites,
  users,
  variants,
} from '../../schema/db'
import { parseConfig } from '../../schema/types/index'
import { createSecretKey } from '../http/routes/sites'
import type { Db } from '../ports/database'
import { newPublishableKey, randomToken, sha256Hex } from './auth/keys'
import { hashPassword, verifyPassword } from './auth/password'

export interface BootstrapOptions {
  /** The server's own origins (http://localhost:PORT …) plus PROMO_ALLOWED_ORIGINS. */
  allowedOrigins: string[]
  /** Where the demo page lives, for the demo creatives' images and links. */
  demoOrigin: string
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
  return db.transaction(async (txn) => {
    const tx = txn as unknown as Db
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
    await seedCampaigns(tx, site!.id, options.demoOrigin)
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

async function seedCampaigns(db: Db, siteId: string, origin: string): Promise<void> {
  const seeds: {
    name: string
    type: 'awareness' | 'lead_generation'
    status: 'active' | 'draft'
    placements: string[]
    config: Record<string, unknown>
    creative: Record<string, unknown>
  }[] = [
    {
      name: 'Winter sale hero',
      type: 'awareness',
      status: 'active' as const,
      placements: ['home-hero'],
      config: { format: 'hero', dismissible: false, mediaType: 'image' },
      creative: {
        headline: 'Winter sale: up to 40% off',
        body: 'Warm layers, cosy boots and everything for the cold months, while stocks last.',
        ctaText: 'Shop the sale',
        ctaUrl: `${origin}/demo/?utm_source=promo&utm_medium=banner&utm_campaign=winter-sale`,
        imageUrl: `${origin}/demo/assets/winter.svg`,
        imageAlt: 'Snowy mountains',
        backgroundColor: '#0f2a44',
        textColor: '#ffffff',
        accentColor: '#ffb703',
      },
    },
    {
      name: 'Free shipping bar',
      type: 'awareness',
      status: 'active' as const,
      placements: [],
      config: { format: 'sticky', dismissible: true, mediaType: 'image' },
      creative: {
        headline: 'Free shipping on orders over €50',
        ctaText: 'See details',
        ctaUrl: `${origin}/demo/?utm_source=promo&utm_medium=sticky&utm_campaign=free-shipping`,
        backgroundColor: '#1d3557',
        textColor: '#ffffff',
        accentColor: '#e63946',
      },
    },
    {
      name: 'Newsletter popup',
      type: 'awareness',
      status: 'draft' as const,
      placements: [],
      config: { format: 'popup', dismissible: true, mediaType: 'image' },
      creative: {
        headline: 'Get 10% off your first order',
        body: 'Join the list for early access to sales.',
        ctaText: 'Claim my code',
        ctaUrl: `${origin}/demo/?utm_source=promo&utm_medium=popup&utm_campaign=newsletter`,
      },
    },
    {
      name: 'Winter guide form',
      type: 'lead_generation',
      status: 'active' as const,
      placements: ['article-inline'],
      config: {
        fields: [
          { name: 'email', type: 'email', label: 'Email', required: true },
          { name: 'first_name', type: 'text', label: 'First name' },
          {
            name: 'consent',
            type: 'consent',
            label: 'Email me the guide and occasional offers',
            required: true,
          },
        ],
        submitButtonText: 'Send me the guide',
        successMessage: 'Thank you! The guide is on its way to your inbox.',
        offer: {
          type: 'ebook',
          title: 'The winter layering guide',
          assetUrl: `${origin}/demo/assets/winter.svg`,
        },
      },
      creative: {
        headline: 'Free: the winter layering guide',
        body: 'Twelve pages on staying warm without the bulk.',
      },
    },
  ]
  for (const seed of seeds) {
    // Seeds go through the same schemas as the API, so the demo never holds a config the API would refuse.
    const config = parseConfig(seed.type, seed.config)
    const creativeCheck = creative.safeParse(seed.creative)
    if (!config.success || !creativeCheck.success) throw new Error(`invalid demo campaign: ${seed.name}`)
    const [row] = await db
      .insert(campaigns)
      .values({
        siteId,
        name: seed.name,
        type: seed.type,
        status: seed.status,
        objective: seed.type === 'awareness' ? 'brand_awareness' : 'lead_generation',
        placements: seed.placements,
        schedule: { timezone: 'UTC' },
        targeting: {},
        frequency: seed.type === 'awareness' ? { countOn: 'viewable' } : defaultFrequency(seed.type),
        config: config.data,
        createdBy: 'bootstrap',
      })
      .returning({ id: campaigns.id })
    await db
      .insert(variants)
      .values({ campaignId: row!.id, name: 'A', weight: 1, position: 0, creative: creativeCheck.data })
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
