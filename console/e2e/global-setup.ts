import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const READY = 'E2E_GRAPH ';
const START_TIMEOUT_MS = 300_000;

/**
 * Starts the e2e graph in its own process (the root's TypeScript, run as the root's tests run it) and
 * hands its addresses and fixture to the tests (E2E_GRAPH). Returns the teardown, which stops it.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join('console', 'e2e', 'graph', 'graph-server.ts')], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the e2e graph did not start in ${START_TIMEOUT_MS / 1000} s:\n${output.join('')}`)), START_TIMEOUT_MS);
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (line.startsWith(READY)) {
          clearTimeout(timer);
          resolve(line.slice(READY.length));
        } else output.push(`${line}\n`);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the e2e graph exited (${code}) before it was ready:\n${output.join('').slice(-5000)}`));
    });
  });
  process.env.E2E_GRAPH = ready;
  return async () => {
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited, new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 60_000))]);
    if (stopped === 'late') child.kill('SIGKILL');
  };
}
