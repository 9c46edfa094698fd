import type { EntityManager } from 'typeorm';

export interface PerParentQuery {
  table: string;
  parentColumn: string;
  parentIds: readonly string[];
  /** Extra SQL condition with `?` placeholders (same for every parent), e.g. a cursor or a filter. */
  where?: string;
  params?: unknown[];
  /** ORDER BY within each parent, e.g. `placed_at DESC, id DESC`. */
  orderBy: string;
  /** Rows per parent. */
  limit: number;
}

/**
 * The first `limit` rows of each parent in one statement (ROW_NUMBER() per parent; SQLite 3.25+,
 * MySQL 8, MariaDB 10.2+), so that a page of children for N parents costs one query, not N.
 */
export async function firstRowsPerParent<Row extends Record<string, unknown>>(
  manager: EntityManager,
  query: PerParentQuery,
): Promise<Map<string, Row[]>> {
  const byParent = new Map<string, Row[]>(query.parentIds.map((id) => [id, []]));
  if (!query.parentIds.length) return byParent;
  const placeholders = query.parentIds.map(() => '?').join(', ');
  const rows: Array<Row & { _rn: unknown }> = await manager.query(
    `SELECT * FROM (
       SELECT t.*, ROW_NUMBER() OVER (PARTITION BY ${query.parentColumn} ORDER BY ${query.orderBy}) AS _rn
       FROM ${query.table} t
       WHERE ${query.parentColumn} IN (${placeholders})${query.where ? ` AND (${query.where})` : ''}
     ) ranked WHERE _rn <= ? ORDER BY ${query.parentColumn}, _rn`,
    [...query.parentIds, ...(query.params ?? []), query.limit],
  );
  for (const row of rows) {
    const { _rn, ...rest } = row;
    void _rn;
    byParent.get(String(row[query.parentColumn]))?.push(rest as unknown as Row);
  }
  return byParent;
}
