import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * The ad platforms' customer-list formats: each value normalised as the platform documents it, then SHA-256
 * (lower-case hex). A value that cannot be normalised safely (a phone without its country code) is left out
 * rather than hashed wrong.
 */
export type ExportFormat = 'meta' | 'google'

export const sha256Hex = (text: string) => bytesToHex(sha256(utf8ToBytes(text)))

const emailShape = /^[^\s@]+@[^\s@]+$/

/** Meta: trimmed and lower case. */
export function metaEmail(email: string): string | undefined {
  const normalised = email.trim().toLowerCase()
  return emailShape.test(normalised) ? normalised : undefined
}

/** Google: trimmed and lower case; for gmail.com and googlemail.com, no periods before the domain. */
export function googleEmail(email: string): string | undefined {
  const normalised = email.trim().toLowerCase()
  if (!emailShape.test(normalised)) return undefined
  const at = normalised.lastIndexOf('@')
  const local = normalised.slice(0, at)
  const domain = normalised.slice(at + 1)
  if (domain !== 'gmail.com' && domain !== 'googlemail.com') return normalised
  return `${local.replaceAll('.', '')}@${domain}`
}

/**
 * The digits of an international number (country code first), from a number written with `+` or `00` in
 * front; undefined for a national number, whose country Promo cannot know.
 */
function internationalDigits(phone: string): string | undefined {
  const trimmed = phone.trim()
  const international = trimmed.startsWith('+') || trimmed.startsWith('00')
  if (!international) return undefined
  const digits = trimmed.replace(/\D/g, '').replace(/^0+/, '')
  return digits.length >= 8 && digits.length <= 15 ? digits : undefined
}

/** Meta: digits only, country code first, no leading zeros and no `+`. */
export const metaPhone = (phone: string) => internationalDigits(phone)

/** Google: E.164, `+` and the digits. */
export function googlePhone(phone: string): string | undefined {
  const digits = internationalDigits(phone)
  return digits ? `+${digits}` : undefined
}

/** Meta's EXTERN_ID: the site's own user id, trimmed (ids are case-sensitive), hashed like the rest. */
export function externalId(id: string): string | undefined {
  const trimmed = id.trim()
  return trimmed ? trimmed : undefined
}

/** What the site knows of one person who may be exported (their consent already checked). */
export interface ExportPerson {
  email?: string | null
  phone?: string | null
  userId?: string | null
}

export const exportHeaders: Record<ExportFormat, readonly string[]> = {
  meta: ['EMAIL', 'PHONE', 'EXTERN_ID'],
  google: ['Email', 'Phone'],
}

const hashed = (value: string | undefined) => (value === undefined ? '' : sha256Hex(value))

/**
 * One row of the file for a person, hashes only; undefined when nothing of theirs can be matched (no row is
 * better than an empty one). Rows repeat nothing: the caller removes duplicate rows.
 */
export function exportRow(format: ExportFormat, person: ExportPerson): string[] | undefined {
  const row =
    format === 'meta'
      ? [
          hashed(person.email ? metaEmail(person.email) : undefined),
          hashed(person.phone ? metaPhone(person.phone) : undefined),
          hashed(person.userId ? externalId(person.userId) : undefined),
        ]
      : [
          hashed(person.email ? googleEmail(person.email) : undefined),
          hashed(person.phone ? googlePhone(person.phone) : undefined),
        ]
  return row.some((cell) => cell !== '') ? row : undefined
}
