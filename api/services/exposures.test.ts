import { describe, expect, it } from 'vitest'
import type { Choice, ServableCampaign } from '../core/decide'
import type { Db } from '../ports/database'
import { silentLogger } from '../ports/log'
import { ExposureRecorder } from './exposures'

const campaign = { id: 'c1', experiment: { holdoutPercent: 10 } } as ServableCampaign
const shown = [{ campaign, variant: { id: 'v1' } }] as unknown as Choice[]

/** A database that keeps the rows each write inserts. */
function recordingDb() {
  const written: { anonymousId: string; arm: string }[][] = []
  const db = {
    insert: () => ({
      values: (rows: { anonymousId: string; arm: string }[]) => ({
        onConflictDoNothing: async () => void written.push(rows),
      }),
    }),
  } as unknown as Db
  return { db, written }
}

describe('the exposure recorder', () => {
  it('writes a visitor and campaign once, and again after an erasure forgets the visitor', async () => {
    const { db, written } = recordingDb()
    const recorder = new ExposureRecorder(db, silentLogger, { flushMs: 60_000 })
    recorder.record('s1', 'ada', 1, shown, [])
    recorder.record('s1', 'bob', 1, [], [campaign])
    await recorder.flush()
    recorder.record('s1', 'ada', 2, shown, [])
    await recorder.flush()
    expect(written.flat().map((row) => row.anonymousId)).toEqual(['ada', 'bob'])

    recorder.forget(['ada'])
    recorder.record('s1', 'ada', 3, shown, [])
    recorder.record('s1', 'bob', 3, [], [campaign])
    await recorder.flush()
    expect(written.at(-1)?.map((row) => row.anonymousId)).toEqual(['ada'])
  })

  it('drops an erased visitor’s rows still waiting, so none is written after the erasure', async () => {
    const { db, written } = recordingDb()
    const recorder = new ExposureRecorder(db, silentLogger, { flushMs: 60_000 })
    recorder.record('s1', 'ada', 1, shown, [])
    recorder.record('s1', 'bob', 1, shown, [])
    recorder.forget(['ada'])
    await recorder.flush()
    expect(written.flat().map((row) => row.anonymousId)).toEqual(['bob'])
  })
})
