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

/** Project files a file imports, in any form: `from '…'`, `import '…'`, `import('…')`, `require('…')`. */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)'(\.[^']*)'/g)]
    .map((m) => path.resolve(path.dirname(file), m[1]))
    .filter((p) => p.startsWith(root));
}

const ownCode = ['shared', 'subgraphs', 'gateway', 'scripts', 'bench'].flatMap((dir) => sources(path.join(root, dir)));

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

  it('reads the environment only in the config module (and the test kit, which builds test configs)', () => {
    // The gateway writes one variable that @apollo/gateway reads; it says why where it does.
    const allowed = ['shared/config.ts', 'shared/testkit/index.ts'];
    for (const file of ownCode) {
      const relative = path.relative(root, file);
      if (allowed.includes(relative) || file.endsWith('.spec.ts')) continue;
      const reads = fs.readFileSync(file, 'utf8').match(/process\.env(?!\.APOLLO_TELEMETRY_DISABLED = )/g);
      if (reads) throw new Error(`${relative} reads process.env`);
    }
  });

  it('keeps resolvers thin: no repository or SQL in a resolver', () => {
    for (const file of ownCode.filter((f) => f.endsWith('.resolver.ts'))) {
      if (/getRepository|\.manager\b|createQueryBuilder|\.query\(/.test(fs.readFileSync(file, 'utf8'))) {
        throw new Error(`${path.relative(root, file)} touches the database`);
      }
    }
  });
});
