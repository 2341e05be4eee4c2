/**
 * The import rules of the house (README, "Architecture"), checked by `npm run check:imports` in CI. Tests and
 * test helpers may reach anywhere; product code keeps to its role:
 * - api/core is pure: it imports only itself, the ports' types and the shared schema.
 * - api/ports are interfaces; api/adapters implement them and import no service, route or runtime.
 * - api/services do the work through the ports and never import a route, a runtime or the registry.
 * - api/http (routes and middleware) never imports an adapter, a runtime or the registry.
 * - Only the composition root (api/app.ts), the runtimes and scripts import the registries of types.
 * - A promotion type's folder never imports another type's; its widget imports nothing of the server or the
 *   admin, its server code nothing of the browser (Preact, the SDK, widgets, admin).
 * - The SDK imports nothing from the server or the admin; the admin nothing from the server at run time.
 * - No cycles, type-only imports included.
 */
const tests =
  '(\\.test\\.tsx?$|\\.browser\\.test\\.ts$|/testing/|^api/testing/|^admin/test-|/test-[^/]*$|\\.fixture\\.ts$|fixtures\\.ts$)'

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment:
        'Modules that import each other, directly or around a circle, cannot be understood or moved alone.',
      from: { path: '^(api|sdk|admin|schema|promotions)/', pathNot: tests },
      to: { circular: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'The core (decide, target, cap, bucket, pace, attribute, score) does no I/O and knows no adapter.',
      from: { path: '^api/core/', pathNot: tests },
      to: { path: '^(api/(?!core/|ports/)|promotions/|sdk/|admin/)' },
    },
    {
      name: 'ports-are-interfaces',
      severity: 'error',
      from: { path: '^api/ports/', pathNot: tests },
      to: { path: '^(api/(?!core/|ports/)|promotions/|sdk/|admin/)' },
    },
    {
      name: 'adapters-implement-ports',
      severity: 'error',
      comment:
        'An adapter implements a port; the services, routes and runtimes choose it, never the reverse.',
      from: { path: '^api/adapters/', pathNot: tests },
      to: { path: '^(api/(services|http|runtime)/|api/(app|promotions?)\\.ts$|promotions/|sdk/|admin/)' },
    },
    {
      name: 'services-use-ports',
      severity: 'error',
      from: { path: '^api/services/', pathNot: tests },
      to: { path: '^(api/(adapters|http|runtime)/|api/(app|promotions)\\.ts$|promotions/|sdk/|admin/)' },
    },
    {
      name: 'routes-use-services',
      severity: 'error',
      from: { path: '^api/http/', pathNot: tests },
      to: { path: '^(api/(adapters|runtime)/|api/(app|promotions)\\.ts$|promotions/|sdk/|admin/)' },
    },
    {
      name: 'registries-only-at-the-root',
      severity: 'error',
      comment:
        'Generic code gets what it needs of the types as arguments; it never reads the registry itself.',
      from: { path: '^(api|sdk|admin|schema|promotions)/', pathNot: `${tests}|^api/app\\.ts$|^api/runtime/` },
      to: { path: '^api/promotions\\.ts$' },
    },
    {
      name: 'types-stay-apart',
      severity: 'error',
      comment: 'A promotion type is one folder: it imports the generic code, never another type.',
      from: { path: '^promotions/([^/]+)/', pathNot: tests },
      to: { path: '^promotions/', pathNot: '^promotions/$1/' },
    },
    {
      name: 'widgets-are-browser-code',
      severity: 'error',
      comment: 'A widget is an SDK chunk: nothing of the server, the admin, or Node may ride into it.',
      from: { path: '^promotions/[^/]+/widget/', pathNot: tests },
      to: {
        path: '^(api/|admin/|promotions/[^/]+/(server|admin)/)',
      },
    },
    {
      name: 'widgets-no-node',
      severity: 'error',
      from: { path: '^(promotions/[^/]+/widget/|sdk/)', pathNot: tests },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'server-modules-no-browser',
      severity: 'error',
      comment: 'A type server module never pulls Preact, the SDK, a widget or the admin into the Worker.',
      from: { path: '^(promotions/[^/]+/server/|api/)', pathNot: tests },
      to: { path: '(^sdk/|^admin/|^promotions/[^/]+/(widget|admin)/|node_modules/preact)' },
    },
    {
      name: 'sdk-stays-in-the-browser',
      severity: 'error',
      from: { path: '^sdk/', pathNot: tests },
      to: { path: '^(api/|admin/|promotions/[^/]+/(server|admin)/)' },
    },
    {
      name: 'admin-calls-the-api',
      severity: 'error',
      comment: 'The admin talks to the server over HTTP; it may share types, never run server code.',
      from: { path: '^(admin/|promotions/[^/]+/admin/)', pathNot: tests },
      to: { path: '^(api/|promotions/[^/]+/server/)', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/|^\\.promo/)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
}
