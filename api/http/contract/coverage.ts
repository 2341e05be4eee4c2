import type { OpenApiDocument } from './document'

/** A route as `app.routes` lists it. */
interface RouterRoute {
  method: string
  path: string
}

/** A Hono path in OpenAPI form: `:id` and `:type{[a-z_]+}` become `{id}` and `{type}`. */
export const openApiPath = (honoPath: string) =>
  honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^}]*\})?/g, '{$1}')

/**
 * The handlers an app serves that the document does not list, as `METHOD /path`. Middleware (`use`, listed as
 * ALL), CORS preflights and the static-file fallback (`*`) are not operations.
 */
export function undocumentedRoutes(routes: readonly RouterRoute[], document: OpenApiDocument): string[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, unknown>>
  const missing = new Set<string>()
  for (const route of routes) {
    if (route.method === 'ALL' || route.method === 'OPTIONS' || route.path.endsWith('*')) continue
    const path = openApiPath(route.path)
    if (!paths[path]?.[route.method.toLowerCase()]) missing.add(`${route.method} ${path}`)
  }
  return [...missing]
}

/** The operations the document lists that the app does not serve: a doc left behind by a removed route. */
export function phantomOperations(routes: readonly RouterRoute[], document: OpenApiDocument): string[] {
  const served = new Set(routes.map((route) => `${route.method.toLowerCase()} ${openApiPath(route.path)}`))
  const phantoms: string[] = []
  for (const [path, item] of Object.entries(
    (document.paths ?? {}) as Record<string, Record<string, unknown>>,
  )) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      if (item[method] && !served.has(`${method} ${path}`)) phantoms.push(`${method.toUpperCase()} ${path}`)
    }
  }
  return phantoms
}
