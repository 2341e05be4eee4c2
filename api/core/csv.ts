/**
 * CSV (RFC 4180, CRLF line ends) safe to open in a spreadsheet: a text cell that a spreadsheet would read as
 * a formula (starting with = + - @, a tab or a carriage return) is prefixed with an apostrophe, as OWASP
 * advises against CSV injection; numbers stay numbers.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value !== 'string') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

export function toCsv(
  header: readonly string[],
  rows: readonly (readonly (string | number | boolean | null | undefined)[])[],
) {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`
}

/** One CSV record and the line of the file it starts on (the header is line 1). */
export interface CsvRecord {
  line: number
  cells: string[]
}

/**
 * RFC 4180 records: cells split by commas, quoted cells may hold commas, line breaks and doubled quotes; lines
 * end in CRLF, LF or CR. A quote left open swallows the rest of the file, so it is an error at its record's line.
 */
export function parseCsv(text: string): { records: CsvRecord[]; unterminatedAt?: number } {
  const records: CsvRecord[] = []
  let cells: string[] = []
  let cell = ''
  let line = 1
  let start = 1
  let quoted = false
  let i = 0
  const endRecord = () => {
    cells.push(cell)
    records.push({ line: start, cells })
    cells = []
    cell = ''
  }
  while (i < text.length) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"'
          i += 2
          continue
        }
        quoted = false
      } else {
        if (ch === '\n' || (ch === '\r' && text[i + 1] !== '\n')) line++
        cell += ch
      }
      i++
      continue
    }
    if (ch === '"' && cell === '') quoted = true
    else if (ch === ',') {
      cells.push(cell)
      cell = ''
    } else if (ch === '\r' || ch === '\n') {
      if (ch === '\r' && text[i + 1] === '\n') i++
      endRecord()
      line++
      start = line
    } else cell += ch
    i++
  }
  if (quoted) return { records, unterminatedAt: start }
  if (cell !== '' || cells.length > 0) endRecord()
  return { records }
}
