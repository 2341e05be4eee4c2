import UAParser from 'ua-parser-js'
import type { ServeRequest } from '../../schema/serve'
import { type Device, type UtmField, utmFields } from '../../schema/targeting'

/** What targeting rules may look at, built once per serve request. Absent means unknown: no `in` matches it. */
export interface VisitorContext {
  url?: string
  referrer?: string
  utm: Partial<Record<UtmField, string>>
  device: Device
  os?: string
  browser?: string
  /** ISO 3166-1 alpha-2, upper case. */
  country?: string
  /** ISO 3166-2, upper case, with its country: `US-CA`. */
  region?: string
  /** Primary language subtag, lower case. */
  language?: string
  /** Pages the visitor has seen in this session, this one included, as the SDK counts them. */
  pagesThisSession?: number
}

export interface VisitorSource {
  context: ServeRequest['context']
  header: (name: string) => string | undefined
  /** Cloudflare's `request.cf`, present on Workers only. */
  cf?: unknown
  /** Header names a proxy in front of a Node server puts the visitor's country and region in. */
  geoHeaders?: { country?: string; region?: string; city?: string }
}

/** Longer User-Agents add nothing a parser needs and only cost time. */
const maxUserAgent = 512

function utmOf(url: string | undefined): VisitorContext['utm'] {
  const utm: VisitorContext['utm'] = {}
  // Most page URLs carry no UTM parameters: no need to parse them.
  if (!url?.includes('utm_')) return utm
  let params: URLSearchParams
  try {
    params = new URL(url).searchParams
  } catch {
    return utm
  }
  for (const field of utmFields) {
    const value = params.get(field)?.trim().toLowerCase()
    if (value) utm[field] = value.slice(0, 120)
  }
  return utm
}

/** 'Mobile Safari' and 'Chrome Mobile' are the same browsers a marketer calls safari and chrome. */
const browserName = (name: string) =>
  name
    .toLowerCase()
    .replace(/^mobile /, '')
    .replace(/ mobile$/, '')

type DeviceFields = Pick<VisitorContext, 'device' | 'os' | 'browser'>

/**
 * Parsed User-Agents, kept because a site's visitors share a few hundred of them and parsing costs tens of
 * microseconds on every serve. Bounded: emptied when full.
 */
const parsedAgents = new Map<string, DeviceFields>()
const maxParsedAgents = 2_000

export function deviceOf(userAgent: string | undefined): DeviceFields {
  if (!userAgent) return { device: 'desktop' }
  const agent = userAgent.slice(0, maxUserAgent)
  let fields = parsedAgents.get(agent)
  if (!fields) {
    fields = parseAgent(agent)
    if (parsedAgents.size >= maxParsedAgents) parsedAgents.clear()
    parsedAgents.set(agent, fields)
  }
  return fields
}

function parseAgent(agent: string): DeviceFields {
  const result = new UAParser(agent).getResult()
  const type = result.device.type
  const device: Device = type === 'mobile' || type === 'tablet' ? type : 'desktop'
  const os = result.os.name?.toLowerCase()
  const browser = result.browser.name ? browserName(result.browser.name) : undefined
  return { device, ...(os ? { os } : {}), ...(browser ? { browser } : {}) }
}

/** The first language tag of an Accept-Language list that names one. */
function firstLanguage(list: string): string | undefined {
  for (const entry of list.split(',')) {
    const tag = entry.split(';')[0]!.trim()
    if (tag && tag !== '*') return tag
  }
  return undefined
}

function languageOf(language: string | undefined, acceptLanguage: string | undefined): string | undefined {
  const tag = language?.trim() || (acceptLanguage ? firstLanguage(acceptLanguage.slice(0, 256)) : undefined)
  const primary = tag?.split(/[-_]/)[0]?.toLowerCase()
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined
}

const noGeo: Pick<VisitorContext, 'country' | 'region'> = Object.freeze({})

export function geoOf(source: Omit<VisitorSource, 'context'>): Pick<VisitorContext, 'country' | 'region'> {
  // A Node server with no geo headers configured knows nothing about where the visitor is.
  if (source.cf === undefined && !source.geoHeaders?.country && !source.geoHeaders?.region) return noGeo
  const cf = typeof source.cf === 'object' && source.cf !== null ? (source.cf as Record<string, unknown>) : {}
  const named = (name: string | undefined) => (name ? source.header(name) : undefined)
  const rawCountry = typeof cf.country === 'string' ? cf.country : named(source.geoHeaders?.country)
  const rawRegion = typeof cf.regionCode === 'string' ? cf.regionCode : named(source.geoHeaders?.region)
  // Cloudflare says XX for unknown and T1 for Tor: neither is a country.
  const upper = rawCountry?.trim().toUpperCase()
  const country = upper && /^[A-Z]{2}$/.test(upper) && upper !== 'XX' ? upper : undefined
  const code = rawRegion?.trim().toUpperCase().slice(0, 8)
  const region = code && !code.includes('-') && country ? `${country}-${code}` : code
  return {
    ...(country ? { country } : {}),
    ...(region && /^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(region) ? { region } : {}),
  }
}

/** Pure: everything comes from the request's body, headers and edge data handed in. */
export function visitorContext(source: VisitorSource): VisitorContext {
  const { context } = source
  const device = deviceOf(source.header('user-agent'))
  const geo = geoOf(source)
  const visitor: VisitorContext = { utm: utmOf(context.url), device: device.device }
  if (device.os) visitor.os = device.os
  if (device.browser) visitor.browser = device.browser
  if (geo.country) visitor.country = geo.country
  if (geo.region) visitor.region = geo.region
  if (context.url) visitor.url = context.url
  if (context.referrer) visitor.referrer = context.referrer
  const language = languageOf(context.language, source.header('accept-language'))
  if (language) visitor.language = language
  if (context.pagesThisSession !== undefined) visitor.pagesThisSession = context.pagesThisSession
  return visitor
}
