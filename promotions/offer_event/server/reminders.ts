import type { Services } from '../../../api/services/index'
import type { TypeJob } from '../../../api/services/jobs'
import { offerEventConfig } from '../config'
import { deliver, rsvpMail } from './mail'
import { mailState } from './routes'
import { dueReminders, type QueuedMail, queueReminder } from './store'

/** How long before the start the reminder goes. */
export const reminderLeadMs = 24 * 3_600_000
const batch = 200

/**
 * Writes the reminder of each confirmed RSVP whose event starts within 24 h (store.ts `dueReminders`: never a
 * waitlisted, cancelled or checked-in one, and none for a seat taken less than 24 h before the start, whose
 * confirmation just said it all), then sends them when a mailer is live. Each RSVP is marked in the reminder's
 * own transaction, so runs repeated, overlapping or restarted send it once.
 */
export async function sendDueReminders(services: Services): Promise<{ reminded: number; skipped: number }> {
  let reminded = 0
  let skipped = 0
  const at = new Date(services.now())
  for (;;) {
    const due = await dueReminders(services.db, at, reminderLeadMs, batch)
    const mails: QueuedMail[] = []
    for (const { rsvp, campaign } of due) {
      const parsed = offerEventConfig.safeParse(campaign.config)
      const event = parsed.success ? parsed.data.event : undefined
      if (!event) {
        skipped += 1
        continue
      }
      const mail = await queueReminder(services.db, rsvp, {
        at,
        ...mailState(services),
        mail: rsvpMail(services, { name: campaign.name, siteName: campaign.siteName, event }),
      })
      if (mail) mails.push(mail)
    }
    reminded += mails.length
    await deliver(services, mails)
    // A row that could not be reminded (a config that no longer parses) would be picked again: stop there.
    if (due.length < batch || mails.length === 0) break
  }
  return { reminded, skipped }
}

export const rsvpReminders: TypeJob = { name: 'rsvp reminders', run: sendDueReminders }
