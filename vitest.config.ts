import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{api,sdk,admin,promotions,schema,examples,scripts}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.browser.test.ts'],
    globalSetup: ['scripts/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
