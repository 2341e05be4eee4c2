import type { Logger } from '../ports/log'
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
