/** A member's role in an organization, from most to least trusted. */
export const roles = ['owner', 'admin', 'editor', 'viewer'] as const
export type Role = (typeof roles)[number]

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

/**
 * THE role table: what each role may do. The API's admin guard consults it on every admin request
 * (api/core/roles.ts); the admin app reads the same table to offer a member only what they may do.
 */
export const capabilities: Readonly<Record<Actor, readonly Capability[]>> = {
  owner: ['read', 'write', 'sites', 'team', 'self'],
  admin: ['read', 'write', 'sites', 'team', 'self'],
  editor: ['read', 'write', 'self'],
  viewer: ['read', 'self'],
  // Key management itself still needs a signed-in admin (the site routes refuse a key); team and account are a
  // user's, which a key is not.
  key: ['read', 'write', 'sites'],
}

export const may = (actor: Actor, capability: Capability): boolean => capabilities[actor].includes(capability)
