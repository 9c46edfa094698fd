import { defineConfig } from '@playwright/test';
import { CHROMIUM, CHROMIUM_ARGS } from './e2e/support/chromium';

/**
 * Browser tests: Playwright driving Debian's Chromium (no browser download) against a real graph
 * (e2e/graph/graph-server.ts, started once by the global setup) and the built console. One worker:
 * the journeys share one graph and the machine's two cores. Screenshots of each page and of failures
 * are kept in test-results/<embedded|mariadb-redis>/ (CI artifacts, not committed).
 */
// CI runs the suite on MariaDB + Redis and on the embedded default: each keeps its own screenshots.
const backing = process.env.MYSQL_URL ? 'mariadb-redis' : 'embedded';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.e2e.ts',
  outputDir: `test-results/${backing}`,
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1024, height: 768 },
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    actionTimeout: 20_000,
    navigationTimeout: 30_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
});
