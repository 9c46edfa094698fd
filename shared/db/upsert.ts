import type { EntityManager } from 'typeorm';
import { chunk } from './batch';
import type { Database } from './database';

/** How a column of an existing row takes the value of a conflicting insert. */
export type Merge = 'key' | 'add' | 'max' | 'min' | 'replace';

/**
 * INSERT … ON CONFLICT/ON DUPLICATE KEY UPDATE with per-column merges (`add` for counters), in
 * multi-row statements, so that counters grow atomically without reading them first.
 */
export async function upsertRows(
  db: Database,
  manager: EntityManager,
  table: string,
  columns: Record<string, Merge>,
  rows: Array<Record<string, unknown>>,
  rowsPerStatement = 200,
): Promise<void> {
  const names = Object.keys(columns);
  const keys = names.filter((n) => columns[n] === 'key');
  const sqlite = db.kind === 'sqlite';
  const incoming = (n: string) => (sqlite ? `excluded.${n}` : `VALUES(${n})`);
  const updates = names
    .filter((n) => columns[n] !== 'key')
    .map((n) => {
      switch (columns[n]) {
        case 'add':
          return `${n} = ${n} + ${incoming(n)}`;
        case 'max':
          return `${n} = ${sqlite ? 'MAX' : 'GREATEST'}(${n}, ${incoming(n)})`;
        case 'min':
          return `${n} = ${sqlite ? 'MIN' : 'LEAST'}(${n}, ${incoming(n)})`;
        default:
          return `${n} = ${incoming(n)}`;
      }
    })
    .join(', ');
  const conflict = sqlite ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET` : 'ON DUPLICATE KEY UPDATE';
  for (const part of chunk(rows, rowsPerStatement)) {
    const values = part.map(() => `(${names.map(() => '?').join(', ')})`).join(', ');
    const params = part.flatMap((row) => names.map((n) => row[n]));
    await manager.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${values} ${conflict} ${updates}`, params);
  }
}
