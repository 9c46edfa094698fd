import fs from 'node:fs';
import path from 'node:path';
import { SERVICE_NAMES } from '../shared/config';

const root = path.join(__dirname, '..');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/from '([^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1])).filter((p) => p.startsWith(root));
}

describe('layout', () => {
  it.each(SERVICE_NAMES)('the %s subgraph imports no other subgraph, the gateway or scripts', (name) => {
    const own = path.join(root, 'subgraphs', name);
    for (const file of sources(own)) {
      for (const target of imports(file)) {
        const relative = path.relative(root, target);
        const allowed = target.startsWith(own) || relative.startsWith('shared');
        if (!allowed) throw new Error(`${path.relative(root, file)} imports ${relative}`);
      }
    }
  });

  it('shared/ imports no service, and the gateway imports only shared/', () => {
    for (const [dir, allowedPrefixes] of [
      ['shared', ['shared']],
      ['gateway', ['gateway', 'shared']],
    ] as const) {
      for (const file of sources(path.join(root, dir))) {
        for (const target of imports(file)) {
          const relative = path.relative(root, target);
          if (!allowedPrefixes.some((p) => relative.startsWith(p))) {
            throw new Error(`${path.relative(root, file)} imports ${relative}`);
          }
        }
      }
    }
  });
});
