import { eq, sql } from 'drizzle-orm'
import type { Db } from '../../../api/ports/database'
import { type LeadConsent, type LeadSource, leadSubmissions, leads } from '../../../schema/db'
import type { LeadField } from '../config'
import type { LeadValues } from '../lead-form'
import { type Scoring, scoreLead } from './scoring'

export type LeadRow = typeof leads.$inferSelect
export type SubmissionRow = typeof leadSubmissions.$inferSelect

/** One validated submit of a campaign's form. */
export interface LeadWrite {
  siteId: string
  campaignId: string
  variantId: string | null
  /** Normalised by the form schema: trimmed, the email in lower case. */
  values: LeadValues & { email: string }
  form: { fields: readonly LeadField[]; scoring: Scoring }
  anonymousId: string | null
  consent: LeadConsent | null
  source: LeadSource
  at: Date
}

/**
 * Stores a submit in one transaction: the lead of this site and email is created or updated in one statement
 * (a concurrent first submit of the same email waits for this one and becomes its update), then rescored over
 * its merged fields, and the submission is added. On an update the new values win, the count grows, the last
 * campaign and visitor move on, consent changes only when this submit said something about it, and the source
 * stays the first one (each submission keeps its own). A submission's score is what its own values score.
 */
export async function storeLead(
  db: Db,
  write: LeadWrite,
): Promise<{ lead: LeadRow; submission: SubmissionRow; created: boolean }> {
  const own = scoreLead(write.values, write.form.fields, write.form.scoring)
  return db.transaction(async (tx) => {
    const [upserted] = await tx
      .insert(leads)
      .values({
        siteId: write.siteId,
        email: write.values.email,
        fields: write.values,
        score: own.score,
        grade: own.grade,
        consent: write.consent,
        firstCampaignId: write.campaignId,
        lastCampaignId: write.campaignId,
        anonymousId: write.anonymousId,
        source: write.source,
        submissions: 1,
        createdAt: write.at,
        updatedAt: write.at,
      })
      .onConflictDoUpdate({
        target: [leads.siteId, leads.email],
        set: {
          fields: sql`${leads.fields} || excluded.fields`,
          submissions: sql`${leads.submissions} + 1`,
          lastCampaignId: sql`excluded.last_campaign_id`,
          anonymousId: sql`coalesce(excluded.anonymous_id, ${leads.anonymousId})`,
          consent: sql`coalesce(excluded.consent, ${leads.consent})`,
          updatedAt: sql`excluded.updated_at`,
        },
      })
      .returning()
    let lead = upserted!
    const created = lead.submissions === 1
    if (!created) {
      const merged = scoreLead(lead.fields, write.form.fields, write.form.scoring)
      const [rescored] = await tx.update(leads).set(merged).where(eq(leads.id, lead.id)).returning()
      lead = rescored!
    }
    const [submission] = await tx
      .insert(leadSubmissions)
      .values({
        leadId: lead.id,
        siteId: write.siteId,
        campaignId: write.campaignId,
        variantId: write.variantId,
        anonymousId: write.anonymousId,
        fields: write.values,
        consent: write.consent,
        source: write.source,
        score: own.score,
        createdAt: write.at,
      })
      .returning()
    return { lead, submission: submission!, created }
  })
}
