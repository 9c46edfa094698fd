import { Column, type ColumnOptions } from 'typeorm';

/** A UTC timestamp with millisecond precision, portable between MySQL/MariaDB and SQLite. */
export function DateTimeColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'datetime', precision: 3, ...options });
}

/** An id column: varchar(36), never a native uuid type (portable between MySQL 8 and MariaDB). */
export function IdColumn(options: ColumnOptions = {}): PropertyDecorator {
  return Column({ type: 'varchar', length: 36, ...options });
}

/** Reads an integer that mysql2 may return as a string (BIGINT, SUM(), COUNT()). */
export function toInt(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) throw new TypeError(`not a number: ${String(value)}`);
  return Math.trunc(n);
}

/** Reads a timestamp that SQLite returns as text and MySQL as a Date. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  // SQLite stores "YYYY-MM-DD HH:MM:SS.SSS" in UTC without a zone designator.
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
