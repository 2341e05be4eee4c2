import { parseCsv } from '../../../api/core/csv'
import { ApiError, type FieldIssue } from '../../../api/core/errors'
import { isStorableText, unstorableMessage } from '../../../schema/limits'
import {
  hoursText,
  parseHoursText,
  parseSpecialText,
  type StoreInput,
  specialText,
  storeInput,
} from '../store'
import type { StoreRow } from './stores'

/** The columns of an import and export, in export order. */
export const storeColumns = [
  'ref',
  'name',
  'street',
  'city',
  'region',
  'postal_code',
  'country',
  'lat',
  'lng',
  'phone',
  'url',
  'time_zone',
  'hours',
  'special_days',
  'services',
  'inventory',
] as const
type Column = (typeof storeColumns)[number]
const required: readonly Column[] = ['ref', 'name', 'street', 'city', 'country', 'lat', 'lng', 'time_zone']

const fieldOfColumn: Record<Column, keyof StoreInput> = {
  ref: 'ref',
  name: 'name',
  street: 'street',
  city: 'city',
  region: 'region',
  postal_code: 'postalCode',
  country: 'country',
  lat: 'lat',
  lng: 'lng',
  phone: 'phone',
  url: 'url',
  time_zone: 'timeZone',
  hours: 'hours',
  special_days: 'specialDays',
  services: 'services',
  inventory: 'inventory',
}
const columnOfField = Object.fromEntries(Object.entries(fieldOfColumn).map(([c, f]) => [f, c]))

/** Rows an import holds at most. */
export const maxImportRows = 2_000

export interface RowError {
  line: number
  errors: FieldIssue[]
}

function headerOf(cells: string[]): Column[] {
  const names = cells.map((cell) => cell.trim().toLowerCase())
  const known = new Set<string>(storeColumns)
  const issues: FieldIssue[] = [
    ...names
      .filter((n) => !known.has(n))
      .map((n) => ({ path: 'header', message: `unknown column "${n.slice(0, 40)}"` })),
    ...names
      .filter((n, i) => names.indexOf(n) !== i)
      .map((n) => ({ path: 'header', message: `column "${n}" appears twice` })),
    ...required
      .filter((n) => !names.includes(n))
      .map((n) => ({ path: 'header', message: `column "${n}" is required` })),
  ]
  if (issues.length > 0) {
    throw new ApiError(
      'validation_failed',
      `header: ${issues[0]!.message} (columns: ${storeColumns.join(', ')})`,
      issues,
    )
  }
  return names as Column[]
}

/** `SKU:3;SKU2:0` as units by SKU. */
function parseInventory(value: string): Record<string, number> | string {
  const out: Record<string, number> = {}
  for (const part of value.split(';')) {
    const item = part.trim()
    if (!item) continue
    const colon = item.lastIndexOf(':')
    const units = colon < 0 ? Number.NaN : Number(item.slice(colon + 1).trim())
    if (colon < 0 || !Number.isInteger(units)) return `"${item.slice(0, 40)}" is not like "SKU-1:3"`
    out[item.slice(0, colon).trim()] = units
  }
  return out
}

/** One cell as the store field it fills, or why it cannot. */
function cellValue(column: Column, value: string): unknown {
  switch (column) {
    case 'lat':
    case 'lng':
      return /^-?\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : { error: 'must be a decimal number like 48.8589' }
    case 'hours': {
      const parsed = parseHoursText(value)
      return 'error' in parsed ? parsed : parsed.spans
    }
    case 'special_days': {
      const parsed = parseSpecialText(value)
      return 'error' in parsed ? parsed : parsed.days
    }
    case 'services':
      return value
        .split(';')
        .map((s) => s.trim())
        .filter(Boolean)
    case 'inventory': {
      const parsed = parseInventory(value)
      return typeof parsed === 'string' ? { error: parsed } : parsed
    }
    default:
      return value
  }
}

/**
 * A CSV body as store inputs and the rows that cannot be stored, each with its line and what is wrong by column.
 * The header names the columns in any order; a ref given twice is an error on the later line.
 */
export function importStores(text: string): { inputs: StoreInput[]; rejected: RowError[] } {
  const { records, unterminatedAt } = parseCsv(text.startsWith('\uFEFF') ? text.slice(1) : text)
  const [head, ...rows] = records.filter((record) => record.cells.some((cell) => cell.trim() !== ''))
  if (!head) {
    throw new ApiError('validation_failed', 'header: the file is empty', [
      { path: 'header', message: 'a header row is required' },
    ])
  }
  const header = headerOf(head.cells)
  if (rows.length > maxImportRows) {
    throw new ApiError('unprocessable', `An import holds at most ${maxImportRows} rows; split the file`)
  }
  const inputs: StoreInput[] = []
  const rejected: RowError[] = []
  const lineOfRef = new Map<string, number>()
  for (const { line, cells } of rows) {
    const errors: FieldIssue[] = []
    if (cells.length > header.length) {
      errors.push({
        path: 'row',
        message: `${cells.length} cells, but the header has ${header.length} columns`,
      })
    }
    const input: Record<string, unknown> = {}
    for (const [i, column] of header.entries()) {
      // The export guards cells a spreadsheet would run as formulas (`+33 1…`) with an apostrophe: undone here.
      const cell = (cells[i]?.trim() ?? '').replace(/^'(?=[=+\-@\t\r])/, '')
      if (!isStorableText(cell)) {
        errors.push({ path: column, message: unstorableMessage })
        continue
      }
      if (cell === '') continue
      const value = cellValue(column, cell)
      if (value && typeof value === 'object' && 'error' in value) {
        errors.push({ path: column, message: String(value.error) })
      } else input[fieldOfColumn[column]] = value
    }
    const parsed = storeInput.safeParse(input)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'row')
        const column = columnOfField[field] ?? field
        if (!errors.some((e) => e.path === column)) errors.push({ path: column, message: issue.message })
      }
    }
    if (parsed.success) {
      const earlier = lineOfRef.get(parsed.data.ref)
      if (earlier !== undefined) errors.push({ path: 'ref', message: `the same ref as line ${earlier}` })
    }
    if (errors.length > 0 || !parsed.success) {
      rejected.push({ line, errors })
      continue
    }
    lineOfRef.set(parsed.data.ref, line)
    inputs.push(parsed.data)
  }
  if (unterminatedAt !== undefined) {
    rejected.push({
      line: unterminatedAt,
      errors: [
        { path: 'row', message: 'a quoted cell is never closed; this line and the rest were not read' },
      ],
    })
  }
  return { inputs, rejected }
}

/** A stored store as an export row, in `storeColumns` order, so an export can be edited and imported again. */
export function exportRow(row: StoreRow) {
  return [
    row.ref,
    row.name,
    row.street,
    row.city,
    row.region,
    row.postalCode,
    row.country,
    row.lat,
    row.lng,
    row.phone,
    row.url,
    row.timeZone,
    hoursText(row.hours),
    specialText(row.specialDays),
    row.services.join(';'),
    Object.entries(row.inventory)
      .map(([sku, units]) => `${sku}:${units}`)
      .join(';'),
  ]
}
