/**
 * Orders as CSV for offline evaluation: `customer_id,item_id,timestamp,quantity[,location_id][,category]`
 * with a header row, one line per order line. Rows without a customer or with quantity ≤ 0 (returns,
 * corrections) are ignored; rows that cannot be read are reported and skipped.
 */
import readline from 'node:readline';
import type { Readable } from 'node:stream';

export interface OrderRow {
  customerId: string;
  itemId: string;
  /** Milliseconds since the epoch. */
  at: number;
  quantity: number;
  locationId: string | null;
  /** The item's category, when the file has the column: whether styles of it are bought again is decided per category. */
  category: string | null;
}

export type ParsedRow = { kind: 'row'; row: OrderRow } | { kind: 'ignored' } | { kind: 'malformed'; error: string };

export interface Columns {
  count: number;
  customerId: number;
  itemId: number;
  timestamp: number;
  quantity: number;
  locationId: number;
  category: number;
}

const REQUIRED = ['customer_id', 'item_id', 'timestamp', 'quantity'] as const;

/** Splits one line; double-quoted fields may hold commas and doubled quotes (no line breaks). */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',').map((f) => f.trim());
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') fields.push(field.trim()), (field = '');
    else field += ch;
  }
  fields.push(field.trim());
  return fields;
}

/** The columns this reader knows: what a file's header must name, unless `rename` maps them. */
export const COLUMN_NAMES = ['customer_id', 'item_id', 'timestamp', 'quantity', 'location_id', 'category'] as const;
export type ColumnName = (typeof COLUMN_NAMES)[number];

/**
 * Finds the columns by name, in any order (case-insensitive); `rename` gives a file's own name for a
 * column (a retailer's export: { customer_id: 'CustomerID', ... }). A file without the four required
 * ones cannot be evaluated.
 */
export function parseHeader(line: string, rename: Partial<Record<ColumnName, string>> = {}): Columns {
  const own = new Map(Object.entries(rename).map(([column, name]) => [String(name).toLowerCase(), column]));
  const names = splitCsvLine(line.replace(/^\uFEFF/, '')).map((n) => n.toLowerCase()).map((n) => own.get(n) ?? n);
  const missing = REQUIRED.filter((n) => !names.includes(n));
  if (missing.length) throw new Error(`the header row lacks ${missing.join(', ')} (found: ${names.join(',')})`);
  return {
    count: names.length,
    customerId: names.indexOf('customer_id'),
    itemId: names.indexOf('item_id'),
    timestamp: names.indexOf('timestamp'),
    quantity: names.indexOf('quantity'),
    locationId: names.indexOf('location_id'),
    category: names.indexOf('category'),
  };
}

const ISO_8601 = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?)?$/;

/** ISO 8601 date or date-time; without an offset it is read as UTC, so a run does not depend on the machine's zone. */
export function parseTimestamp(text: string): number | null {
  const m = ISO_8601.exec(text);
  if (!m) return null;
  const [, date, time, zone] = m;
  const offset = !zone ? 'Z' : zone === 'Z' || zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const at = Date.parse(time ? `${date}T${time}${offset}` : `${date}T00:00:00Z`);
  // Date.parse rolls 2025-02-30 over to March: a calendar date that does not round-trip is not a date.
  const day = Date.parse(`${date}T00:00:00Z`);
  if (Number.isNaN(at) || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== date) return null;
  return at;
}

export function parseRow(line: string, columns: Columns): ParsedRow {
  const fields = splitCsvLine(line);
  if (fields.length !== columns.count) return { kind: 'malformed', error: `${fields.length} fields, the header has ${columns.count}` };
  if (!fields[columns.customerId]) return { kind: 'ignored' };
  const quantityText = fields[columns.quantity];
  const quantity = Number(quantityText);
  if (!quantityText || !Number.isFinite(quantity)) return { kind: 'malformed', error: `quantity "${quantityText}" is not a number` };
  if (quantity <= 0) return { kind: 'ignored' };
  const itemId = fields[columns.itemId];
  if (!itemId) return { kind: 'malformed', error: 'no item_id' };
  const at = parseTimestamp(fields[columns.timestamp]);
  if (at === null) return { kind: 'malformed', error: `timestamp "${fields[columns.timestamp]}" is not ISO 8601` };
  const locationId = columns.locationId >= 0 ? fields[columns.locationId] || null : null;
  const category = columns.category >= 0 ? fields[columns.category] || null : null;
  return { kind: 'row', row: { customerId: fields[columns.customerId], itemId, at, quantity, locationId, category } };
}

export interface ReadSummary {
  rows: number;
  ignored: number;
  malformed: number;
  /** The first few malformed lines, for the report. */
  examples: Array<{ line: number; error: string }>;
}

const MALFORMED_EXAMPLES = 10;

/** Streams the file line by line, so memory does not grow with its length. */
export async function readOrderRows(
  input: Readable,
  onRow: (row: OrderRow) => void,
  rename: Partial<Record<ColumnName, string>> = {},
): Promise<ReadSummary> {
  const summary: ReadSummary = { rows: 0, ignored: 0, malformed: 0, examples: [] };
  let columns: Columns | null = null;
  let lineNumber = 0;
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    if (!columns) {
      columns = parseHeader(line, rename);
      continue;
    }
    const parsed = parseRow(line, columns);
    if (parsed.kind === 'row') summary.rows++, onRow(parsed.row);
    else if (parsed.kind === 'ignored') summary.ignored++;
    else {
      summary.malformed++;
      if (summary.examples.length < MALFORMED_EXAMPLES) summary.examples.push({ line: lineNumber, error: parsed.error });
    }
  }
  if (!columns) throw new Error('the file is empty: expected a header row customer_id,item_id,timestamp,quantity[,location_id][,category]');
  return summary;
}
