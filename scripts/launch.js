'use strict';
/**
 * `node scripts/launch.js <program.ts> [args]`, behind `npm start` and `npm run start:*`: in
 * production (or where ts-node is not installed, as in the image) the program compiled by `npm run
 * build` (dist/, with source maps), elsewhere the TypeScript itself through ts-node, so that
 * development needs no build step. Either way the program
 * runs as the main module in this process, which receives the signals (SIGTERM) itself.
 * Plain JavaScript: it runs before anything is compiled.
 */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.join(__dirname, '..');
const program = process.argv[2];
if (!program || !program.endsWith('.ts')) {
  console.error('usage: node scripts/launch.js <program.ts> [args]');
  process.exit(2);
}
const compiled = path.join(root, 'dist', program.replace(/\.ts$/, '.js'));
let main = path.join(root, program);
// The image has no dev dependencies: there development mode (compose's dev profile) runs dist/ too.
if (process.env.NODE_ENV === 'production' || !canRequire('ts-node')) {
  if (!fs.existsSync(compiled)) {
    console.error(`${path.relative(root, compiled)} is missing: production runs compiled code; run \`npm run build\` first`);
    process.exit(1);
  }
  main = compiled;
  process.setSourceMapsEnabled(true);
} else {
  require('ts-node').register({ transpileOnly: true });
}
function canRequire(name) {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}

// As `node <program>` would: the program is argv[1] and require.main, its arguments follow.
process.argv.splice(1, 2, main);
Module.runMain();
