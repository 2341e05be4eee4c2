/** Engagement's server side: the type's entry (api/types registers it) and its routes (app.ts mounts them). */
export { engagementRoutes } from './routes'
export { engagement } from './type'
