import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The build's CPU priority (nice): a first start seeds the demo data meanwhile, which goes first. */
const BUILD_NICENESS = 10;

/** console/ itself, from console/server/ (TypeScript) or dist/console/server/ (the root's compiled build). */
export function consoleDirectory(fromDir: string = __dirname): string {
  const parts = fromDir.split(path.sep);
  const distAt = parts.lastIndexOf('dist');
  const root = distAt >= 0 && parts[distAt + 1] === 'console' ? parts.slice(0, distAt).join(path.sep) : path.join(fromDir, '..', '..');
  return path.join(root, 'console');
}

function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestChange(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Why the built app is missing or behind its sources, or undefined when it is current. */
export function staleBuild(consoleDir: string): string | undefined {
  const index = path.join(consoleDir, 'dist', 'index.html');
  if (!fs.existsSync(index)) return 'not built yet';
  const built = fs.statSync(index).mtimeMs;
  const sources = [path.join(consoleDir, 'src'), path.join(consoleDir, 'index.html'), path.join(consoleDir, 'vite.config.mts')].filter((p) => fs.existsSync(p));
  const changed = Math.max(...sources.map((p) => (fs.statSync(p).isDirectory() ? newestChange(p) : fs.statSync(p).mtimeMs)));
  return changed > built ? 'sources changed since the last build' : undefined;
}

/**
 * Builds the app (`vite build`) when it is missing or behind its sources, so that `npm ci && npm start`
 * on a clean clone serves it. Resolves with why it could not (dependencies not installed, the build failed).
 */
export async function ensureConsoleBuilt(consoleDir: string, log: (line: string) => void): Promise<{ ok: true } | { ok: false; reason: string }> {
  const why = staleBuild(consoleDir);
  if (!why) return { ok: true };
  const vite = path.join(consoleDir, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(vite)) return { ok: false, reason: 'its dependencies are not installed (`npm ci --prefix console`)' };
  log(`Building the staff console (${why})…`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: consoleDir, stdio: ['ignore', 'pipe', 'pipe'] });
    // Set before vite starts esbuild, which inherits it.
    if (child.pid) {
      try {
        os.setPriority(child.pid, BUILD_NICENESS);
      } catch {
        // Not permitted here: the build competes with the seed for the CPU, as before.
      }
    }
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.on('error', () => resolve(-1));
    child.on('exit', resolve);
  });
  return code === 0 ? { ok: true } : { ok: false, reason: `vite build failed:\n${output.join('').slice(-2000)}` };
}
