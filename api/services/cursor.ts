import { Buffer } from 'node:buffer'
import { and, eq, lt, or, type SQL } from 'drizzle-orm'
import type { PgColumn } from 'drizzle-orm/pg-core'
import { z } from 'zod'
import { isStorableTime } from '../../schema/limits'
import { ApiError } from '../core/errors'

/** Newest-first lists page by (createdAt, id): the cursor is the last row's pair, base64url (safe in a query). */
export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
    const createdAt = new Date(at ?? '')
    if (!isStorableTime(createdAt) || !id || !z.uuid().safeParse(id).success) throw new Error()
    return { createdAt, id }
  } catch {
    throw new ApiError('validation_failed', 'cursor: invalid', [
      { path: 'cursor', message: 'invalid cursor' },
    ])
  }
}

/** The rows after the cursor's in newest-first order; no condition without a cursor. */
export function olderThan(columns: { createdAt: PgColumn; id: PgColumn }, cursor?: string): SQL | undefined {
  if (!cursor) return undefined
  const after = decodeCursor(cursor)
  return or(
    lt(columns.createdAt, after.createdAt),
    and(eq(columns.createdAt, after.createdAt), lt(columns.id, after.id)),
  )
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
}

/** `{data, nextCursor}` from a query that fetched one row more than `limit`. */
export function page<Row extends { createdAt: Date; id: string }, Json>(
  rows: Row[],
  limit: number,
  toJson: (row: Row) => Json,
): { data: Json[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit)
  const last = shown[shown.length - 1]
  return { data: shown.map(toJson), nextCursor: rows.length > limit && last ? encodeCursor(last) : null }
}
