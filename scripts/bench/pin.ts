import { execFileSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

/**
 * Keeps the load generator and the server under test off each other's cores (`taskset`, Linux): on this 2-core
 * machine the generator gets core 0 and the servers core 1, so a ratio compares servers, not who won the scheduler.
 * Every thread of the process moves (`-a`). Says what it did, or why not (no taskset, one core).
 */
export function pinApart(generator: number, servers: (number | undefined)[]): string {
  const cores = availableParallelism()
  if (cores < 2) return 'not pinned: one core'
  const last = String(cores - 1)
  try {
    execFileSync('taskset', ['-acp', '0', String(generator)], { stdio: 'ignore' })
    for (const pid of servers)
      if (pid) execFileSync('taskset', ['-acp', `1-${last}`, String(pid)], { stdio: 'ignore' })
    return `pinned: load generator on core 0, server${servers.length > 1 ? 's' : ''} on core${cores > 2 ? `s 1-${last}` : ' 1'}`
  } catch {
    return 'not pinned: taskset failed or is missing'
  }
}
