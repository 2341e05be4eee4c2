import type { Actor, Capability, Role } from '../../schema/roles'

// The role table itself is part of the contract (schema/roles.ts): the admin app offers what it allows.
export { type Actor, type Capability, capabilities, may } from '../../schema/roles'

/**
 * The writes that need more (or less) than `write`, by path under /api/v1; the first match wins. Reads always
 * need `read`. Kept here, in one place, so no route decides on its own.
 */
export const writeRules: readonly { path: RegExp; capability: Capability }[] = [
  { path: /^\/sites(\/|$)/, capability: 'sites' },
  { path: /^\/team(\/|$)/, capability: 'team' },
  { path: /^\/account(\/|$)/, capability: 'self' },
]

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The capability a request needs: `path` is the part after /api/v1. */
export function capabilityFor(method: string, path: string): Capability {
  if (readMethods.has(method.toUpperCase())) return 'read'
  return writeRules.find((rule) => rule.path.test(path))?.capability ?? 'write'
}

/** Why a role may not: the 403's message, naming the role and what it lacks. */
export function refusal(actor: Actor, capability: Capability): string {
  const what: Record<Capability, string> = {
    read: 'read this',
    write: 'change campaigns, audiences or content',
    sites: 'manage sites, allowed origins or keys',
    team: 'manage the team (invitations, roles, members)',
    self: 'manage a member account',
  }
  if (actor === 'key') return `A secret key cannot ${what[capability]}: sign in as a member`
  return `Your role (${actor}) cannot ${what[capability]}; ask an owner or admin`
}

/** Which roles `actor` may give or take away: an owner any, an admin all but owner, others none. */
export function mayAssign(actor: Actor, role: Role): boolean {
  if (actor === 'owner') return true
  if (actor === 'admin') return role !== 'owner'
  return false
}
