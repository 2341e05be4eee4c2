import { describe, expect, it } from 'vitest'
import { type VisitorSource, visitorContext } from './visitor'

const userAgents = {
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  ipad: 'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
  windowsChrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  windowsEdge:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  macFirefox: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0',
  androidChrome:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
}

const source = (
  headers: Record<string, string>,
  rest: Partial<Omit<VisitorSource, 'header'>> = {},
): VisitorSource => ({
  context: {},
  header: (name) => headers[name.toLowerCase()],
  ...rest,
})

describe('visitorContext', () => {
  it.each([
    ['iphone', 'mobile', 'ios', 'safari'],
    ['ipad', 'tablet', 'ios', 'safari'],
    ['windowsChrome', 'desktop', 'windows', 'chrome'],
    ['windowsEdge', 'desktop', 'windows', 'edge'],
    ['macFirefox', 'desktop', 'mac os', 'firefox'],
    ['androidChrome', 'mobile', 'android', 'chrome'],
  ] as const)('reads %s as %s / %s / %s', (agent, device, os, browser) => {
    const visitor = visitorContext(source({ 'user-agent': userAgents[agent] }))
    expect(visitor).toMatchObject({ device, os, browser })
  })

  it('calls a request without a User-Agent a desktop of unknown OS and browser', () => {
    expect(visitorContext(source({}))).toEqual({ utm: {}, device: 'desktop' })
  })

  it('takes url, referrer and lower-cased UTM parameters from the context', () => {
    const visitor = visitorContext(
      source(
        {},
        {
          context: {
            url: 'https://a.example/?utm_source=Newsletter&utm_medium=email&utm_campaign=&x=1',
            referrer: 'https://mail.example/',
          },
        },
      ),
    )
    expect(visitor).toMatchObject({
      url: 'https://a.example/?utm_source=Newsletter&utm_medium=email&utm_campaign=&x=1',
      referrer: 'https://mail.example/',
      utm: { utm_source: 'newsletter', utm_medium: 'email' },
    })
    expect(visitorContext(source({}, { context: { url: 'not a url' } })).utm).toEqual({})
  })

  it('takes the language from the context, else from Accept-Language, as a primary subtag', () => {
    const accept = { 'accept-language': '*;q=0.1, pt-BR,pt;q=0.9,en;q=0.8' }
    expect(visitorContext(source(accept)).language).toBe('pt')
    expect(visitorContext(source(accept, { context: { language: 'DE-at' } })).language).toBe('de')
    expect(visitorContext(source({ 'accept-language': 'x-klingon' })).language).toBeUndefined()
  })

  it("takes country and region from Cloudflare's request.cf", () => {
    const visitor = visitorContext(source({}, { cf: { country: 'US', regionCode: 'CA' } }))
    expect(visitor).toMatchObject({ country: 'US', region: 'US-CA' })
    expect(visitorContext(source({}, { cf: { country: 'XX' } })).country).toBeUndefined()
    expect(visitorContext(source({}, { cf: { country: 'T1' } })).country).toBeUndefined()
  })

  it('takes country and region from the configured headers on Node, and ignores them otherwise', () => {
    const headers = { 'x-country': 'de', 'x-region': 'BY' }
    const geoHeaders = { country: 'x-country', region: 'x-region' }
    expect(visitorContext(source(headers, { geoHeaders }))).toMatchObject({ country: 'DE', region: 'DE-BY' })
    expect(visitorContext(source({ 'x-region': 'de-be' }, { geoHeaders })).region).toBe('DE-BE')
    expect(visitorContext(source(headers)).country).toBeUndefined()
    expect(visitorContext(source({ 'x-country': 'Germany' }, { geoHeaders })).country).toBeUndefined()
  })
})
