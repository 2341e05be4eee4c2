import { OpenAPIHono } from '@hono/zod-openapi'
import type { Env } from 'hono'
import { validationError } from '../../core/errors'

/**
 * Routes that declare their request and answer schemas (`createRoute`, `app.openapi`): the handler gets its input
 * parsed and typed (`c.req.valid('query')`) and must answer what the route declares, checked by the compiler.
 * Bad input is the project's `validation_failed` error, exactly as `parseQuery` shapes it. For admin routes:
 * the serve and events hot paths keep their handlers and only register their docs.
 */
export function typedRoutes<E extends Env>() {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error)
    },
  })
}
