import type { Role } from '../../schema/roles'
import type { PublicSite } from '../services/sites-directory'

export type Principal =
  | { kind: 'key'; organizationId: string; siteIds: string[]; actor: string }
  | {
      kind: 'user'
      organizationId: string
      siteIds: string[]
      actor: string
      userId: string
      csrfToken: string
      /** The member's role (api/core/roles.ts), their email (for the audit log) and this session's id. */
      role: Role
      email: string
      sessionId: string
    }

/** Hono's context variables: set by the auth middlewares, read by handlers. */
export interface AppEnv {
  Variables: {
    principal: Principal
    site: PublicSite
    /** Set for every request by the observe middleware: the caller's X-Request-Id or a new one. */
    requestId: string
  }
}
