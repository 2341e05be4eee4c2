import type { Logger } from '../ports/log'
import { refreshAudiences } from './audiences/refresh'
import type { Services } from './index'

/**
 * Work a promotion type runs on a schedule (an event's reminders): on Node every minute from the process, on
 * Workers from the every-minute cron. A run does what is due at `services.now()` and must be safe to repeat and
 * to run in two processes at once: what it sends is marked done in the database, in the same transaction.
 */
export interface TypeJob {
  /** For the log: `rsvp reminders`. */
  name: string
  /** What it did, as counts for the log line (nothing is logged when all are 0). */
  run(services: Services): Promise<Record<string, number>>
}

/** The audience engine's scheduled refresh: time-based entries and exits, then the webhook's report. */
const audienceJob: TypeJob = {
  name: 'audiences',
  async run(services) {
    const { entered, exited, deliveries } = await refreshAudiences(services)
    return { entered, exited, deliveries }
  },
}

/** Scheduled work that belongs to no type: the audience engine's refresh (api/services/audiences). */
export const genericJobs: readonly TypeJob[] = [audienceJob]

const errorName = (error: unknown) => (error instanceof Error ? error.name : typeof error)

/** Runs each job once, one after another; a job that throws is logged and the next still runs. */
export async function runTypeJobs(services: Services, jobs: readonly TypeJob[], log: Logger): Promise<void> {
  for (const job of jobs) {
    try {
      const done = await job.run(services)
      if (Object.values(done).some((n) => n > 0)) log.info(job.name, done)
    } catch (error) {
      log.error('scheduled job failed', { job: job.name, error: errorName(error) })
    }
  }
}

/** Runs the jobs every `everyMs` (never two runs at once) until stopped; the timer does not hold the process. */
export function startTypeJobs(services: Services, jobs: readonly TypeJob[], log: Logger, everyMs = 60_000) {
  let running: Promise<void> | undefined
  const tick = () => {
    running ??= runTypeJobs(services, jobs, log).finally(() => {
      running = undefined
    })
  }
  const timer = setInterval(tick, everyMs)
  timer.unref?.()
  return {
    tick,
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
