import { defineConfig } from 'vitest/config'

/** Chromium tests through playwright-core against the real server; run by `npm run test:browser` and CI. */
export default defineConfig({
  test: {
    include: ['{api,sdk,admin,examples,promotions}/**/*.browser.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
