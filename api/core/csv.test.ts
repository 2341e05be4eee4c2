import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from './csv'

describe('csvCell', () => {
  it('leaves plain text as it is', () => {
    expect(csvCell('Winter sale')).toBe('Winter sale')
    expect(csvCell('')).toBe('')
    expect(csvCell("it's")).toBe("it's")
  })

  it('quotes a cell with a comma, a quote or a line break, doubling quotes (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('two\nlines')).toBe('"two\nlines"')
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"')
    expect(csvCell('"')).toBe('""""')
  })

  it('prefixes an apostrophe to text a spreadsheet would read as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('-1')).toBe("'-1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('\t=1+1')).toBe("'\t=1+1")
    // A carriage return also needs quoting: the apostrophe goes inside the quotes.
    expect(csvCell('\r=1+1')).toBe(`"'\r=1+1"`)
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`)
  })

  it('leaves those characters alone anywhere but at the start', () => {
    expect(csvCell('a=b')).toBe('a=b')
    expect(csvCell('x-1@y+2')).toBe('x-1@y+2')
  })

  it('writes numbers and booleans as they are, negative ones included, and nothing for null', () => {
    expect(csvCell(0)).toBe('0')
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell(0.3333)).toBe('0.3333')
    expect(csvCell(1e21)).toBe('1e+21')
    expect(csvCell(true)).toBe('true')
    expect(csvCell(null)).toBe('')
    expect(csvCell(undefined)).toBe('')
  })
})

describe('toCsv', () => {
  it('writes a header and rows with CRLF after every line', () => {
    expect(
      toCsv(
        ['name', 'n'],
        [
          ['a,b', 1],
          [null, -2],
        ],
      ),
    ).toBe('name,n\r\n"a,b",1\r\n,-2\r\n')
  })

  it('neutralises the header too', () => {
    expect(toCsv(['=x'], [])).toBe("'=x\r\n")
  })
})
