import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Inserts many entities with multi-row INSERTs of bounded size (SQLite and MySQL cap statement
 * parameters). Columns and value conversion come from the entity metadata; it bypasses TypeORM's
 * query builder, whose parameter bookkeeping grows quadratically with the rows of one statement.
 * Auto-increment columns are left to the database.
 */
export async function insertMany<E extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<E>,
  rows: E[],
  rowsPerStatement = 250,
): Promise<void> {
  if (!rows.length) return;
  const { driver } = manager.connection;
  const metadata = manager.connection.getMetadata(target);
  const columns = metadata.columns.filter((c) => !(c.isGenerated && c.generationStrategy === 'increment'));
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  for (const part of chunk(rows, rowsPerStatement)) {
    const params = part.flatMap((row) => columns.map((c) => driver.preparePersistentValue(c.getEntityValue(row), c)));
    await manager.query(
      `INSERT INTO ${driver.escape(metadata.tableName)} (${names}) VALUES ${part.map(() => tuple).join(', ')}`,
      params,
    );
  }
}
