import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig, SERVICE_NAMES } from '../shared/config';
import { dropDatabase } from '../shared/db/database';
import { configuredServers } from '../shared/testkit';
import { freePort } from './support/cluster';

/**
 * The production build (README.md, "Production"): `npm run build` compiles to dist/, and in production
 * `npm run start:*` (scripts/launch.js) runs that JavaScript with source maps, never ts-node.
 */
const ROOT = path.join(__dirname, '..');
const scripts = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
const launched = Object.entries(scripts).filter(([, command]) => command.startsWith('node scripts/launch.js '));
// A service started alone needs MySQL and Redis (the embedded default is `npm start`, one process).
const onServers = configuredServers().mysql && configuredServers().redis ? it : it.skip;

describe('the production build', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ucg-build-'));
  // Loaded first in the production process: any attempt to load ts-node fails it.
  const forbidTsNode = path.join(work, 'forbid-ts-node.js');
  fs.writeFileSync(
    forbidTsNode,
    `const Module = require('node:module'); const load = Module._load;
     Module._load = function (request, ...rest) { if (/^ts-node/.test(request)) throw new Error('ts-node loaded in production'); return load.call(this, request, ...rest); };`,
  );

  beforeAll(async () => {
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: ROOT });
  }, 300_000);
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('compiles every program a start or operations script launches, with its source map', () => {
    expect(launched.map(([name]) => name)).toEqual(expect.arrayContaining(['start', 'start:gateway', 'start:customers', 'migrate', 'events:replay', 'events:dead-letters']));
    for (const [name, command] of launched) {
      const compiled = path.join(ROOT, 'dist', command.split(' ')[2].replace(/\.ts$/, '.js'));
      expect({ name, compiled: fs.existsSync(compiled), map: fs.existsSync(`${compiled}.map`) }).toEqual({ name, compiled: true, map: true });
    }
    expect(fs.existsSync(path.join(ROOT, 'dist', 'gateway', 'supergraph.graphql'))).toBe(true);
  });

  onServers('migrates and starts a service from dist/ in production without ts-node, and it stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      NODE_ENV: 'production',
      NODE_OPTIONS: `--require ${forbidTsNode}`,
      DB_PREFIX: `b${Math.random().toString(36).slice(2, 10)}_`,
      REDIS_KEY_PREFIX: `build-test:${Math.random().toString(36).slice(2, 10)}:`,
      INVENTORY_PORT: String(port),
      METRICS_PORT: '0',
      INTERNAL_SIGNING_KEY: 'Zq8vK2mXw4Ry7Tb1Nc5Hf9Lp3Sd6Gj0A',
      SHUTDOWN_DELAY_MS: '0',
      LOG_LEVEL: 'warn',
    };
    const config = loadConfig(env);
    // The release step first: a production service refuses a schema that is behind.
    await promisify(execFile)(process.execPath, scripts.migrate.split(' ').slice(1), { cwd: ROOT, env });
    const [, ...args] = scripts['start:inventory'].split(' ');
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      let ready = false;
      for (let i = 0; i < 300 && !ready && child.exitCode === null; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
        if (!ready) await new Promise((r) => setTimeout(r, 100));
      }
      expect({ ready, output }).toEqual({ ready: true, output: '' });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    for (const service of [...SERVICE_NAMES, 'gateway'] as const) await dropDatabase(config, service);
  }, 120_000);

  it('runs dist/ in development where ts-node is not installed, as in the image (compose\'s dev profile)', async () => {
    const withoutTsNode = path.join(work, 'without-ts-node.js');
    fs.writeFileSync(
      withoutTsNode,
      `const Module = require('node:module'); const resolve = Module._resolveFilename;
       Module._resolveFilename = function (request, ...rest) { if (/^ts-node/.test(request)) throw Object.assign(new Error('no ts-node'), { code: 'MODULE_NOT_FOUND' }); return resolve.call(this, request, ...rest); };`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', NODE_OPTIONS: `--require ${withoutTsNode}` };
    delete env.JWT_JWKS_URL;
    const { stdout } = await promisify(execFile)(process.execPath, [...scripts.token.split(' ').slice(1), '--role', 'SUPPORT'], { cwd: ROOT, env });
    expect(stdout.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses to start in production without a build, saying what to run', async () => {
    const run = promisify(execFile)(process.execPath, ['scripts/launch.js', 'scripts/no-such-program.ts'], { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production' } });
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('run `npm run build` first') });
  });
});
