import { describe, expect, it } from 'vitest'
import { normaliseUrl, tagsOf } from './catalog'
import { parseCsv } from './csv-import'

describe('normaliseUrl', () => {
  it('keys a page by its URL without fragment, utm_*, promo_variant and ad-click ids, other parameters kept in order', () => {
    expect(normaliseUrl('https://A.example/x?b=2&utm_source=n&UTM_Medium=m&a=1&fbclid=f&gclid=g#top')).toBe(
      'https://a.example/x?b=2&a=1',
    )
    expect(normaliseUrl('https://a.example/x?utm_campaign=y')).toBe('https://a.example/x')
    // The ids the click redirect appends for the landing page name the click, not the page.
    expect(normaliseUrl('https://a.example/x?utm_id=c&promo_variant=v&p=1')).toBe('https://a.example/x?p=1')
    expect(normaliseUrl('https://a.example:443/x#')).toBe('https://a.example/x')
    expect(normaliseUrl('/relative', 'https://a.example/page')).toBe('https://a.example/relative')
  })

  it('refuses anything but absolute http(s) URLs', () => {
    for (const url of [
      'javascript:alert(1)',
      'data:text/html,x',
      'ftp://a.example/x',
      'not a url',
      '',
      null,
    ]) {
      expect(normaliseUrl(url)).toBeUndefined()
    }
    expect(normaliseUrl(`https://a.example/${'x'.repeat(2_100)}`)).toBeUndefined()
  })
})

describe('tagsOf', () => {
  it('folds tags to lower case, each once, at most 20', () => {
    expect(tagsOf(['Run', 'run', 'Trail'])).toEqual(['run', 'trail'])
    expect(tagsOf(Array.from({ length: 30 }, (_, i) => `t${i}`))).toHaveLength(20)
  })
})

describe('parseCsv', () => {
  it('reads RFC 4180 records with the line each starts on', () => {
    const { records } = parseCsv('a,b\r\n"x, y","say ""hi""\nagain"\n\nlast,\rcr,end')
    expect(records).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"\nagain'] },
      { line: 4, cells: [''] },
      { line: 5, cells: ['last', ''] },
      { line: 6, cells: ['cr', 'end'] },
    ])
  })

  it('says where a quoted cell was left open', () => {
    expect(parseCsv('a\n"open\nstill').unterminatedAt).toBe(2)
  })
})
