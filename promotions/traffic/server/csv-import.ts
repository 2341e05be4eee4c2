import { type CsvRecord, parseCsv } from '../../../api/core/csv'
import { ApiError, type FieldIssue } from '../../../api/core/errors'
import { contentItemInput } from '../../../schema/content'
import { isStorableText, unstorableMessage } from '../../../schema/limits'
import { type CatalogWrite, writeOf } from './catalog'

export { type CsvRecord, parseCsv } from '../../../api/core/csv'

/** The columns an import may have, and the item field each fills. */
const columns = {
  url: 'url',
  title: 'title',
  image: 'imageUrl',
  summary: 'summary',
  tags: 'tags',
  category: 'category',
  published_at: 'publishedAt',
} as const
type Column = keyof typeof columns
const columnOfField = Object.fromEntries(Object.entries(columns).map(([column, field]) => [field, column]))

/** Rows an import holds at most; a bigger catalog goes in several files. */
export const maxImportRows = 5_000

export interface RowError {
  line: number
  errors: FieldIssue[]
}

function headerOf(record: CsvRecord): Column[] {
  const names = record.cells.map((cell) => cell.trim().toLowerCase())
  const unknown = names.filter((name) => !Object.hasOwn(columns, name))
  const repeated = names.filter((name, i) => names.indexOf(name) !== i)
  const missing = (['url', 'title'] as const).filter((name) => !names.includes(name))
  const issues: FieldIssue[] = [
    ...unknown.map((name) => ({ path: 'header', message: `unknown column "${name.slice(0, 40)}"` })),
    ...repeated.map((name) => ({ path: 'header', message: `column "${name}" appears twice` })),
    ...missing.map((name) => ({ path: 'header', message: `column "${name}" is required` })),
  ]
  if (issues.length > 0) {
    throw new ApiError(
      'validation_failed',
      `header: ${issues[0]!.message} (columns: ${Object.keys(columns).join(', ')})`,
      issues,
    )
  }
  return names as Column[]
}

/**
 * A CSV body as catalog writes and the rows that cannot be stored, each with its line and what is wrong by
 * column. The header names the columns (any order): url and title are required; image, summary, tags (separated
 * by semicolons), category and published_at are optional. A URL given twice is an error on the later line.
 */
export function importRows(text: string): { writes: CatalogWrite[]; rejected: RowError[] } {
  const { records, unterminatedAt } = parseCsv(text.startsWith('\uFEFF') ? text.slice(1) : text)
  const nonEmpty = records.filter((record) => record.cells.some((cell) => cell.trim() !== ''))
  const [head, ...rows] = nonEmpty
  if (!head) {
    throw new ApiError('validation_failed', 'header: the file is empty', [
      { path: 'header', message: 'a header row is required' },
    ])
  }
  const header = headerOf(head)
  if (rows.length > maxImportRows) {
    throw new ApiError('unprocessable', `An import holds at most ${maxImportRows} rows; split the file`)
  }
  const writes: CatalogWrite[] = []
  const rejected: RowError[] = []
  const lineOfUrl = new Map<string, number>()
  for (const { line, cells } of rows) {
    const errors: FieldIssue[] = []
    if (cells.length > header.length) {
      errors.push({
        path: 'row',
        message: `${cells.length} cells, but the header has ${header.length} columns`,
      })
    }
    const input: Record<string, unknown> = {}
    header.forEach((column, i) => {
      const value = cells[i]?.trim() ?? ''
      if (!isStorableText(value)) errors.push({ path: column, message: unstorableMessage })
      else if (value === '') return
      else if (column === 'tags') {
        input.tags = value
          .split(';')
          .map((tag) => tag.trim())
          .filter(Boolean)
      } else input[columns[column]] = value
    })
    const parsed = contentItemInput.safeParse(input)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'row')
        errors.push({ path: columnOfField[field] ?? field, message: issue.message })
      }
    }
    const write = parsed.success ? writeOf(parsed.data) : undefined
    if (parsed.success && !write) errors.push({ path: 'url', message: 'too long once normalised' })
    if (write) {
      const earlier = lineOfUrl.get(write.url)
      if (earlier !== undefined) errors.push({ path: 'url', message: `the same URL as line ${earlier}` })
    }
    if (errors.length > 0 || !write) {
      rejected.push({ line, errors })
      continue
    }
    lineOfUrl.set(write.url, line)
    writes.push(write)
  }
  if (unterminatedAt !== undefined) {
    rejected.push({
      line: unterminatedAt,
      errors: [
        { path: 'row', message: 'a quoted cell is never closed; this line and the rest were not read' },
      ],
    })
  }
  return { writes, rejected }
}
