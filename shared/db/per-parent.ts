import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { toDate, toInt } from './columns';

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

/**
 * firstRowsPerParent for an entity: the table comes from the entity, and each raw row is turned into
 * an instance (timestamps as Dates, integers as numbers, whichever database answered).
 */
export async function firstEntitiesPerParent<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  query: Omit<PerParentQuery, 'table'>,
): Promise<Map<string, E[]>> {
  const metadata = manager.connection.getMetadata(entity);
  const rows = await firstRowsPerParent(manager, { ...query, table: metadata.tableName });
  const toEntity = (raw: Record<string, unknown>): E => {
    const instance = metadata.create() as E;
    for (const column of metadata.columns) {
      const value = raw[column.databaseName];
      const converted =
        value === null || value === undefined
          ? null
          : column.type === 'datetime'
            ? toDate(value)
            : column.type === 'integer' || column.type === 'int'
              ? toInt(value)
              : column.type === 'boolean'
                ? Boolean(Number(value))
                : value;
      column.setEntityValue(instance, converted);
    }
    return instance;
  };
  return new Map([...rows].map(([parent, list]) => [parent, list.map(toEntity)]));
}
