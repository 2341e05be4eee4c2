import { describe, expect, it } from 'vitest'
import type { Logger } from '../ports/log'
import type { Services } from './index'
import { runTypeJobs, startTypeJobs, type TypeJob } from './jobs'

function memoryLog() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = []
  const log: Logger = {
    info: (message, fields) => lines.push({ level: 'info', message, ...(fields ? { fields } : {}) }),
    error: (message, fields) => lines.push({ level: 'error', message, ...(fields ? { fields } : {}) }),
  } as Logger
  return { lines, log }
}
const services = {} as Services

describe('the types’ scheduled jobs', () => {
  it('runs each job, logs what one did, and goes on past one that throws without logging its message', async () => {
    const ran: string[] = []
    const jobs: TypeJob[] = [
      {
        name: 'broken',
        run: async () => {
          ran.push('broken')
          throw new Error('secret detail')
        },
      },
      {
        name: 'reminders',
        run: async () => {
          ran.push('reminders')
          return { reminded: 2 }
        },
      },
      {
        name: 'idle',
        run: async () => {
          ran.push('idle')
          return { reminded: 0 }
        },
      },
    ]
    const { lines, log } = memoryLog()
    await runTypeJobs(services, jobs, log)
    expect(ran).toEqual(['broken', 'reminders', 'idle'])
    expect(lines).toEqual([
      { level: 'error', message: 'scheduled job failed', fields: { job: 'broken', error: 'Error' } },
      { level: 'info', message: 'reminders', fields: { reminded: 2 } },
    ])
  })

  it('never runs two ticks at once, and stop waits for the run in flight', async () => {
    let running = 0
    let most = 0
    let runs = 0
    let release: () => void = () => {}
    const job: TypeJob = {
      name: 'slow',
      run: async () => {
        runs += 1
        running += 1
        most = Math.max(most, running)
        await new Promise<void>((resolve) => {
          release = resolve
        })
        running -= 1
        return {}
      },
    }
    const runner = startTypeJobs(services, [job], memoryLog().log, 3_600_000)
    runner.tick()
    runner.tick()
    await Promise.resolve()
    const stopped = runner.stop()
    release()
    await stopped
    expect(runs).toBe(1)
    expect(most).toBe(1)
  })
})
