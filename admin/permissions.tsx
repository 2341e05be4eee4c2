import { createContext } from 'preact'
import { useContext } from 'preact/hooks'
import { type Capability, may, type Role } from '../schema/roles'

/**
 * The signed-in member's role, for offering only what they may do: the server's role table (schema/roles.ts)
 * decides every request whatever the admin shows, so this is for the marketer's sake, not the guard. Outside a
 * provider (a screen rendered on its own, as in its tests) everything is offered, as to an owner.
 */
const RoleContext = createContext<Role>('owner')

export const RoleProvider = RoleContext.Provider

/** Whether the signed-in member's role allows `capability` (`write`: campaigns and content; `sites`: sites, keys). */
export function useMay(capability: Capability): boolean {
  return may(useContext(RoleContext), capability)
}

const what: Partial<Record<Capability, string>> = {
  write: 'change campaigns, audiences or content',
  sites: 'change sites, their settings or keys',
}

/**
 * Said in place of the controls a member's role leaves out (nothing when it allows `capability`), in the words
 * the API's 403 uses.
 */
export function ReadOnlyNote({ capability }: { capability: Capability }) {
  const role = useContext(RoleContext)
  if (may(role, capability)) return null
  return (
    <p class="muted read-only-note">
      Your role ({role}) can read this but not {what[capability] ?? 'change it'}: ask an owner or admin.
    </p>
  )
}
