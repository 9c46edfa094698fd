import { Directive, Field, ObjectType, type ClassType } from 'type-graphql';
import { AppError, ErrorCode } from '../errors';

@ObjectType({ description: 'Where a page of a connection stands (Relay cursor pagination).' })
@Directive('@shareable')
export class PageInfo {
  @Field({ description: 'True when more items follow this page.' })
  hasNextPage!: boolean;

  @Field({ description: 'True when items precede this page (a cursor was given).' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item of the page.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item; pass it as `after` for the next page.' })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** The `XConnection` and `XEdge` object types of a node type. */
export function connectionTypes<T extends object>(name: string, nodeType: ClassType<T>, nodeDescription: string) {
  @ObjectType(`${name}Edge`, { description: `One ${nodeDescription} in a page, with its cursor.` })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this item.' })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${nodeDescription}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${nodeDescription} items.` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: 'The items of this page, in order.' })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether more items follow, and the cursors to get them.' })
    pageInfo!: PageInfo;
  }

  return { EdgeType, ConnectionType };
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

/** Validates `first` (1 to MAX_PAGE_SIZE, default DEFAULT_PAGE_SIZE). */
export function pageSize(first: number | null | undefined, max = MAX_PAGE_SIZE): number {
  if (first === null || first === undefined) return Math.min(DEFAULT_PAGE_SIZE, max);
  if (!Number.isInteger(first) || first < 1 || first > max) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `first must be between 1 and ${max}`, { argument: 'first' });
  }
  return first;
}

/** Encodes the sort key of an item as an opaque cursor. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export type CursorPart = 'string' | 'number' | 'datetime';

/** Decodes a cursor made by encodeCursor whose parts have these types; anything else is BAD_USER_INPUT. */
export function decodeCursor(cursor: string | null | undefined, shape: CursorPart[]): Array<string | number> | null {
  if (cursor === null || cursor === undefined) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const fits = (part: unknown, type: CursorPart) =>
    type === 'number'
      ? typeof part === 'number' && Number.isFinite(part)
      : typeof part === 'string' && (type === 'string' || !Number.isNaN(Date.parse(part)));
  if (Array.isArray(key) && key.length === shape.length && key.every((part, i) => fits(part, shape[i]))) return key;
  throw new AppError(ErrorCode.BAD_USER_INPUT, 'after is not a cursor of this list', { argument: 'after' });
}

/**
 * Builds a page from rows fetched with LIMIT first + 1 (the extra row only says whether more follow).
 */
export function toConnection<T>(
  rows: T[],
  first: number,
  cursorKey: (row: T) => Array<string | number>,
  hasPrevious: boolean,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeCursor(cursorKey(node)), node }));
  const pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: rows.length > first,
    hasPreviousPage: hasPrevious,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  });
  return { edges, pageInfo };
}
