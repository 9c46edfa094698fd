import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM } from '../e2e/support/chromium';

/**
 * `npm run test:e2e`: the browser tests, or a clear skip where Debian's Chromium is not installed
 * (CI installs it: `apt-get install chromium`). Arguments go to `playwright test`.
 */
if (!fs.existsSync(CHROMIUM)) {
  console.warn(`SKIPPED: the console's browser tests need Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH).`);
  process.exit(0);
}
const cli = path.join(__dirname, '..', 'node_modules', '@playwright', 'test', 'cli.js');
const run = spawnSync(process.execPath, [cli, 'test', ...process.argv.slice(2)], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
process.exit(run.status ?? 1);
