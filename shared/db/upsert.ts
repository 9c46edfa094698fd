import type { EntityManager } from 'typeorm';
import { chunk } from './batch';
import type { Database } from './database';

/**
 * How a column of an existing row takes the value of a conflicting insert. `version` (at most one
 * column, e.g. when the fact was true): an insert whose version is older changes nothing of the row,
 * so a snapshot that arrives late never overwrites a newer one.
 */
export type Merge = 'key' | 'add' | 'max' | 'min' | 'replace' | 'version';

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
  const version = Object.keys(columns).find((n) => columns[n] === 'version');
  // The version column last: MySQL evaluates the assignments in order, each seeing the ones before.
  const names = [...Object.keys(columns).filter((n) => n !== version), ...(version ? [version] : [])];
  const keys = names.filter((n) => columns[n] === 'key');
  const sqlite = db.kind === 'sqlite';
  const incoming = (n: string) => (sqlite ? `excluded.${n}` : `VALUES(${n})`);
  const merged = (n: string): string => {
    switch (columns[n]) {
      case 'add':
        return `${n} + ${incoming(n)}`;
      case 'max':
        return `${sqlite ? 'MAX' : 'GREATEST'}(${n}, ${incoming(n)})`;
      case 'min':
        return `${sqlite ? 'MIN' : 'LEAST'}(${n}, ${incoming(n)})`;
      default:
        return incoming(n);
    }
  };
  // SQLite takes a row from a not-older insert or not at all (the WHERE below); MySQL decides per column.
  const updates = names
    .filter((n) => columns[n] !== 'key')
    .map((n) =>
      !version || sqlite
        ? `${n} = ${merged(n)}`
        : n === version
          ? `${n} = GREATEST(${n}, ${incoming(n)})`
          : `${n} = IF(${incoming(version)} >= ${version}, ${merged(n)}, ${n})`,
    )
    .join(', ');
  const newer = version && sqlite ? ` WHERE ${incoming(version)} >= ${table}.${version}` : '';
  const conflict = sqlite ? `ON CONFLICT (${keys.join(', ')}) DO UPDATE SET` : 'ON DUPLICATE KEY UPDATE';
  for (const part of chunk(rows, rowsPerStatement)) {
    const values = part.map(() => `(${names.map(() => '?').join(', ')})`).join(', ');
    const params = part.flatMap((row) => names.map((n) => row[n]));
    await manager.query(`INSERT INTO ${table} (${names.join(', ')}) VALUES ${values} ${conflict} ${updates}${newer}`, params);
  }
}
