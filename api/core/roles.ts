import type { Role } from '../../schema/roles'

/**
 * What an admin request needs, by area:
 * - `read`: any admin GET;
 * - `write`: campaigns, audiences, conversions, webhooks, content and every other admin write not named below;
 * - `sites`: sites and their settings (allowed origins, attribution, retention), secret keys and publishable-key
 *   rotation: what opens or closes a site's door;
 * - `team`: invitations, members' roles, removing members;
 * - `self`: the caller's own account (password, sessions), which every member may manage.
 */
export type Capability = 'read' | 'write' | 'sites' | 'team' | 'self'

/** Who acts: a member by role, or a secret key (site-scoped, an admin for its site, with no user behind it). */
export type Actor = Role | 'key'

/** THE role table: what each role may do. The admin guard consults it on every admin request. */
export const capabilities: Readonly<Record<Actor, readonly Capability[]>> = {
  owner: ['read', 'write', 'sites', 'team', 'self'],
  admin: ['read', 'write', 'sites', 'team', 'self'],
  editor: ['read', 'write', 'self'],
  viewer: ['read', 'self'],
  // Key management itself still needs a signed-in admin (the site routes refuse a key); team and account are a
  // user's, which a key is not.
  key: ['read', 'write', 'sites'],
}

/**
 * The writes that need more (or less) than `write`, by path under /api/v1; the first match wins. Reads always
 * need `read`. Kept here, beside the role table, so no route decides on its own.
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

export const may = (actor: Actor, capability: Capability): boolean => capabilities[actor].includes(capability)

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
