import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{api,sdk,admin,schema,examples,scripts,promotions}/**/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**', '**/*.browser.test.ts'],
    globalSetup: ['scripts/test-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
