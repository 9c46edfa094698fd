import { defineConfig } from 'vitest/config';

/** The console's unit tests (test/): the generated operations, the server, words and helpers. Browser journeys are Playwright's (e2e/). */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
