import { sessionlessBudgetMs } from '../../core/capping'
import type { ClaimRequest, ClaimResult, SkipReason } from '../../ports/kv'

/**
 * The Lua behind both Redis adapters (TCP and REST), and the wire format between them and it. Each port
 * operation is one script, so one round trip, atomic on the server.
 *
 * Keys: everything of one site shares a Redis Cluster hash tag, `{<site>}`, so a script may touch them all.
 *   <prefix>{<site>}:v:<visitor>  hash, the visitor's state; expires 400 days after its last write
 *     p          profile: JSON {"s": {segment: 1}, "t": {trait: value}, "r": returning}
 *     i          interruptive budget: "<claimed at> <session>"
 *     c:<id>     one campaign, a MessagePack array (a third of the time of parsing text, per candidate):
 *                [hour, hourly, daily, weekly, lifetime, last claim, lease expiry…]: counts for the windows of
 *                `hour` (hours since the epoch; its day and week follow from it, since every count moves all
 *                three windows together), last claim false when never claimed, lease expiries oldest first
 *   <prefix>{<site>}:pace  hash, campaign → claims so far
 *   <prefix>{<site>}:ver   string, the campaign-set version
 */

export const defaultPrefix = 'promo:'
export const visitorTtlMs = 400 * 86_400_000

/** A hash tag must be the site's alone: a brace in the prefix would move it. */
export function checkPrefix(prefix: string): string {
  if (/[{}]/.test(prefix)) throw new Error('The key prefix may not contain { or }')
  return prefix
}

export const visitorKey = (prefix: string, site: string, visitor: string) => `${prefix}{${site}}:v:${visitor}`
export const paceKey = (prefix: string, site: string) => `${prefix}{${site}}:pace`
export const versionKey = (prefix: string, site: string) => `${prefix}{${site}}:ver`
export const hitKey = (prefix: string, site: string, key: string) => `${prefix}{${site}}:hit:${key}`

/** A script and its SHA-1, for EVALSHA; the digest is Web Crypto so the same code runs on Node and Workers. */
export class LuaScript {
  private digest?: Promise<string>
  /** The digest once made, so every call after the first sends without waiting on a promise. */
  known?: string
  constructor(readonly source: string) {}

  sha(): Promise<string> {
    this.digest ??= crypto.subtle.digest('SHA-1', new TextEncoder().encode(this.source)).then((hash) => {
      this.known = Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, '0')).join('')
      return this.known
    })
    return this.digest
  }
}

export const isNoScript = (error: unknown) => error instanceof Error && error.message.includes('NOSCRIPT')

// One campaign's state as a Lua array: 1 hour, 2 hourly, 3 daily, 4 weekly, 5 lifetime, 6 last claim (false:
// never), 7… lease expiries. Loaded once per script, written back only when changed (`dirty`).
const campaignState = `
local visitorKey = KEYS[1]
local now = tonumber(ARGV[1])
local hour = math.floor(now / 3600000)
local day = math.floor(now / 86400000)
local week = math.floor((day + 3) / 7)
local states, dirty = {}, {}

local function load(campaign)
  local st = states[campaign]
  if st == nil then
    local raw = redis.call('HGET', visitorKey, 'c:' .. campaign)
    st = raw and cmsgpack.unpack(raw) or false
    states[campaign] = st
  end
  return st
end

local function loadOrNew(campaign)
  local st = load(campaign)
  if not st then
    st = { 0, 0, 0, 0, 0, false }
    states[campaign] = st
  end
  dirty[campaign] = st
  return st
end

-- Drops expired leases; a drop is written back so a later, earlier-dated request sees what memory would.
local function liveLeases(campaign, st)
  while st[7] and st[7] <= now do
    table.remove(st, 7)
    dirty[campaign] = st
  end
  return #st - 6
end

local function counts(st)
  local d = math.floor(st[1] / 24)
  return st[1] == hour and st[2] or 0, d == day and st[3] or 0, math.floor((d + 3) / 7) == week and st[4] or 0
end

local function count(st)
  local h, d, w = counts(st)
  st[1], st[2], st[3], st[4], st[5] = hour, h + 1, d + 1, w + 1, st[5] + 1
end

local function save(extra)
  local fields = extra or {}
  for campaign, st in pairs(dirty) do
    fields[#fields + 1] = 'c:' .. campaign
    fields[#fields + 1] = cmsgpack.pack(st)
  end
  if #fields > 0 then
    redis.call('HSET', visitorKey, unpack(fields))
    redis.call('PEXPIRE', visitorKey, ${visitorTtlMs})
  end
end
`

/**
 * KEYS: visitor, pace, version. ARGV: now, leaseMs, session, then one per group: its candidates in order, each
 * as `<bytes>:<campaign><bytes>:<terms>` (a length in bytes, a colon, the text), the terms being
 * `<cap><interruptive><check>|hour|day|week|lifetime|gapMs|pace|rule` (cap '-'|'s'erve|'v'iewable, interruptive
 * '-'|'i', check '-'|'c'heck only, each limit '' when absent, the rule JSON last, '' when none). Most candidates are never examined
 * (the first usually passes): packed this way they cost Redis no argument of their own and Lua no string,
 * since a group is read only as far as its chosen candidate and terms are parsed once per distinct text.
 * Returns the version, then per group one character per candidate examined: a skip code, or '.' for the
 * chosen one, the last.
 */
export const claimScript = new LuaScript(`${campaignState}
local paceKey, leaseMs, session = KEYS[2], tonumber(ARGV[2]), ARGV[3]
local used, profile, budget, budgetChanged, parsed = {}, nil, nil, false, {}

local function termsOf(text)
  local t = parsed[text]
  if t == nil then
    local flags, h, d, w, l, gap, pace, rule =
      string.match(text, '^(...)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
    t = {
      cap = string.sub(flags, 1, 1), interruptive = string.sub(flags, 2, 2) == 'i',
      check = string.sub(flags, 3, 3) == 'c',
      hour = tonumber(h), day = tonumber(d), week = tonumber(w), lifetime = tonumber(l),
      gap = tonumber(gap), pace = tonumber(pace), rule = rule ~= '' and cjson.decode(rule) or nil,
    }
    -- Never more leases than the largest limit: any one beyond it could not change a decision.
    t.largest = math.max(1, t.hour or 0, t.day or 0, t.week or 0, t.lifetime or 0)
    parsed[text] = t
  end
  return t
end

local function matches(rule)
  if rule.all then
    for _, child in ipairs(rule.all) do if not matches(child) then return false end end
    return true
  end
  if rule.any then
    for _, child in ipairs(rule.any) do if matches(child) then return true end end
    return false
  end
  if rule['not'] then return not matches(rule['not']) end
  if profile == nil then
    local raw = redis.call('HGET', visitorKey, 'p')
    profile = raw and cjson.decode(raw) or { s = {}, t = {}, r = false }
  end
  if rule.segment then return profile.s[rule.segment] ~= nil end
  if rule.returning ~= nil then return profile.r == rule.returning end
  local actual, op = profile.t[rule.trait], rule.op
  if op == 'exists' then return actual ~= nil end
  -- Lua's == never converts between types: 5 ~= '5', as === in the memory adapter.
  if op == 'equals' then return actual == rule.value end
  if op == 'in' then
    for _, value in ipairs(rule.values) do if value == actual then return true end end
    return false
  end
  if type(actual) ~= 'number' then return false end
  if op == 'gt' then return actual > rule.value end
  if op == 'gte' then return actual >= rule.value end
  if op == 'lt' then return actual < rule.value end
  return actual <= rule.value
end

local function capReason(campaign, t)
  local st = load(campaign)
  if not st then return nil end
  local pending = t.cap == 'v' and liveLeases(campaign, st) or 0
  local h, d, w = counts(st)
  if t.hour and h + pending >= t.hour then return 'H' end
  if t.day and d + pending >= t.day then return 'D' end
  if t.week and w + pending >= t.week then return 'W' end
  if t.lifetime and st[5] + pending >= t.lifetime then return 'L' end
  if t.gap and st[6] and now - st[6] < t.gap then return 'G' end
  return nil
end

local found = nil
-- The budget as stored before this request (the hash is written only at the end).
local function stored()
  if found == nil then
    found = false
    local raw = redis.call('HGET', visitorKey, 'i')
    if raw then
      local space = string.find(raw, ' ', 1, true)
      found = { at = tonumber(string.sub(raw, 1, space - 1)), session = string.sub(raw, space + 1) }
    end
  end
  return found
end

local function spent(b)
  if not b or b.session ~= session then return false end
  return session ~= '' or now - b.at < ${sessionlessBudgetMs}
end

local function fatigued()
  if budget == nil then budget = stored() end
  return spent(budget)
end

local function reasonFor(campaign, t)
  if used[campaign] then return 'U' end
  if t.rule and not matches(t.rule) then return 'P' end
  if t.pace and (tonumber(redis.call('HGET', paceKey, campaign)) or 0) >= t.pace then return 'A' end
  if t.cap ~= '-' then
    local reason = capReason(campaign, t)
    if reason then return reason end
  end
  -- A check-only candidate meets the budget as the request found it: what this request shows takes no part.
  if t.interruptive and (t.check and spent(stored()) or not t.check and fatigued()) then return 'F' end
  return nil
end

local function record(campaign, t)
  used[campaign] = true
  if t.check then return end
  if t.pace then redis.call('HINCRBY', paceKey, campaign, 1) end
  if t.interruptive then
    budget, budgetChanged = { at = now, session = session }, true
  end
  if t.cap == '-' then return end
  local st = loadOrNew(campaign)
  st[6] = now
  if t.cap == 's' then
    count(st)
    return
  end
  liveLeases(campaign, st)
  st[#st + 1] = now + leaseMs
  if #st - 6 > t.largest then table.remove(st, 7) end
end

-- The text of length <bytes> after \`<bytes>:\` at \`at\`, and where the next field starts.
local function field(packed, at)
  local colon = string.find(packed, ':', at, true)
  local stop = colon + tonumber(string.sub(packed, at, colon - 1))
  return string.sub(packed, colon + 1, stop), stop + 1
end

local reply = { tonumber(redis.call('GET', KEYS[3])) or 0 }
for g = 4, #ARGV do
  local packed, at, codes = ARGV[g], 1, {}
  while at <= #packed do
    local campaign, text
    campaign, at = field(packed, at)
    text, at = field(packed, at)
    local t = termsOf(text)
    local reason = reasonFor(campaign, t)
    if reason then
      codes[#codes + 1] = reason
    else
      record(campaign, t)
      codes[#codes + 1] = '.'
      break
    end
  end
  reply[#reply + 1] = table.concat(codes)
end

save(budgetChanged and { 'i', string.format('%.17g', budget.at) .. ' ' .. session } or nil)
return reply
`)

/** KEYS: visitor. ARGV: now, then the campaigns viewed. Each releases its oldest live lease and counts once. */
export const viewedScript = new LuaScript(`${campaignState}
for i = 2, #ARGV do
  local campaign = ARGV[i]
  local st = loadOrNew(campaign)
  liveLeases(campaign, st)
  if st[7] then table.remove(st, 7) end
  count(st)
end
save(nil)
`)

const skipCodes: Record<string, SkipReason> = {
  U: 'used',
  P: 'profile',
  A: 'paced',
  H: 'cap_hour',
  D: 'cap_day',
  W: 'cap_week',
  L: 'cap_lifetime',
  G: 'gap',
  F: 'fatigue',
}

const optional = (value: number | undefined) => (value === undefined ? '' : String(value))

export function claimKeys(prefix: string, request: ClaimRequest): string[] {
  return [
    visitorKey(prefix, request.site, request.visitor),
    paceKey(prefix, request.site),
    versionKey(prefix, request.site),
  ]
}

/** UTF-8 bytes of `text`, which Lua counts by (a lone surrogate as the three bytes of U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = text.length
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code < 0x80) continue
    if (code < 0x800) bytes += 1
    else if (code >= 0xd800 && code < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 2
      i++
    } else bytes += 2
  }
  return bytes
}

const field = (text: string) => `${utf8Length(text)}:${text}`

export function claimArgs(request: ClaimRequest): string[] {
  const args = [String(request.now), String(request.leaseMs), request.session]
  for (const group of request.groups) {
    let packed = ''
    for (const { campaign, cap, interruptive, pace, when, check } of group) {
      const flags = `${interruptive ? 'i' : '-'}${check ? 'c' : '-'}`
      const terms = cap
        ? `${cap.countOn === 'serve' ? 's' : 'v'}${flags}|${optional(cap.hour)}|${optional(cap.day)}|${optional(cap.week)}|${optional(cap.lifetime)}|${optional(cap.gapMs)}`
        : `-${flags}|||||`
      packed +=
        field(campaign) + field(`${terms}|${optional(pace?.limit)}|${when ? JSON.stringify(when) : ''}`)
    }
    args.push(packed)
  }
  return args
}

/** Reads the claim script's reply; tolerates a REST client that already parsed numbers. */
export function claimResult(reply: unknown): ClaimResult {
  const [version, ...groups] = reply as unknown[]
  const chosen: number[] = []
  const skipped: (SkipReason | null)[][] = []
  for (const group of groups) {
    const codes = String(group)
    chosen.push(codes.indexOf('.'))
    skipped.push(Array.from(codes, (code) => skipCodes[code] ?? null))
  }
  return { chosen, skipped, version: Number(version) }
}

/** A visitor's profile field as the claim script reads it. */
export function profileField(
  segments: string[],
  traits: Record<string, unknown>,
  returning: boolean,
): string {
  return JSON.stringify({
    s: Object.fromEntries(segments.map((segment) => [segment, 1])),
    t: traits,
    r: returning,
  })
}

/** `Kv.hit`: KEYS[1] the counter; ARGV limit, window ms, amount. The window's clock is the store's own. */
export const hitScript = new LuaScript(`
local amount = tonumber(ARGV[3]) or 1
local n = redis.call('INCRBY', KEYS[1], amount)
if n == amount then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if n <= tonumber(ARGV[1]) then return 0 end
local left = redis.call('PTTL', KEYS[1])
if left < 1 then return 1 end
return left
`)
