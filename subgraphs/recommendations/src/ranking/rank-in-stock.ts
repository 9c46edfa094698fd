/**
 * Ranking in stock without reading the stock of every candidate: the ranking, and the stock of its
 * best slices only.
 */
import type { CatalogService, StockedVariant } from '../catalog/catalog.service';
import type { Ranked, RankingInput } from './ranking-input';
import { scoreStyles } from './scoring';

/** A customer's ranking as rankInStock takes it. */
export interface RankingCase {
  /** With `eligible` saying all but stock. */
  input: RankingInput;
  /** Where stock filters: the context's locations, null for anywhere; undefined when it does not. */
  stockAt: string[] | null | undefined;
  /** In stock where it filters (read by then). */
  inStock: (productId: string) => boolean;
}

/** First slice of a ranking whose stock is read: this many times `first`, at least PROBE_MIN. */
const PROBE_FACTOR = 4;
const PROBE_MIN = 40;

/**
 * Each customer's list as `rank` gives it with stock known for every style, scoring once and reading
 * the stock of few: a style's score does not depend on whether others are in stock (nor does newness
 * or popularity), so the ranking without stock orders styles as the ranking with it does. Stock is
 * read for its best slice; if fewer than `first` of those are in stock and there are more, for a
 * slice four times as long.
 */
export async function rankInStock(cases: Map<string, RankingCase>, first: number, stock: StockReader): Promise<Map<string, Ranked[]>> {
  const lists = new Map<string, Ranked[]>();
  const scored = new Map([...cases].map(([id, { input }]) => [id, scoreStyles(input)]));
  let probe = Math.max(PROBE_MIN, first * PROBE_FACTOR);
  let pending = [...cases.keys()];
  while (pending.length) {
    const slices = new Map(pending.map((id) => [id, scored.get(id)!.select(cases.get(id)!.input.eligible, probe)]));
    await stock.ensure(
      pending.flatMap((id) => {
        const at = cases.get(id)!.stockAt;
        return at === undefined ? [] : [{ at, productIds: slices.get(id)!.map((r) => r.productId) }];
      }),
    );
    const again: string[] = [];
    for (const id of pending) {
      const { input, stockAt, inStock } = cases.get(id)!;
      const slice = slices.get(id)!;
      if (stockAt === undefined) {
        lists.set(id, slice.slice(0, first));
        continue;
      }
      const read = new Set(slice.map((r) => r.productId));
      const list = scored.get(id)!.select((productId) => read.has(productId) && input.eligible(productId) && inStock(productId), first);
      if (list.length < first && slice.length === probe) again.push(id);
      else lists.set(id, list);
    }
    pending = again;
    probe *= PROBE_FACTOR;
  }
  return lists;
}

/**
 * Stock of the styles a request ranks, read as it needs it: at the request's locations (all of them,
 * in one statement), or anywhere (one row per SKU); each style once.
 */
export class StockReader {
  private readonly atLocation = new Map<string, Map<string, StockedVariant[]>>();
  private readonly anywhere = new Map<string, StockedVariant[]>();
  private readonly readAtLocations = new Set<string>();
  private readonly readAnywhere = new Set<string>();

  private readonly locations: string[];

  constructor(
    private readonly catalog: Pick<CatalogService, 'stocked' | 'stockedAnywhere'>,
    locations: readonly string[],
  ) {
    this.locations = [...new Set(locations)];
  }

  /** Reads what is not read yet of each style, at its locations or (null) anywhere. */
  async ensure(wanted: ReadonlyArray<{ at: string[] | null; productIds: readonly string[] }>): Promise<void> {
    const atLocations = new Set<string>();
    const anywhere = new Set<string>();
    for (const { at, productIds } of wanted) {
      for (const id of productIds) {
        if (at && !this.readAtLocations.has(id)) atLocations.add(id);
        if (!at && !this.readAnywhere.has(id)) anywhere.add(id);
      }
    }
    if (atLocations.size && this.locations.length) {
      for (const v of await this.catalog.stocked([...atLocations], this.locations)) {
        let byStyle = this.atLocation.get(v.locationId!);
        if (!byStyle) this.atLocation.set(v.locationId!, (byStyle = new Map()));
        push(byStyle, v.productId, v);
      }
    }
    for (const id of atLocations) this.readAtLocations.add(id);
    if (anywhere.size) {
      for (const v of await this.catalog.stockedAnywhere([...anywhere])) push(this.anywhere, v.productId, v);
    }
    for (const id of anywhere) this.readAnywhere.add(id);
  }

  /** The SKUs of a style with units at these locations (or anywhere), as read. */
  at(locations: readonly string[] | null, productId: string): StockedVariant[] {
    if (!locations) return this.anywhere.get(productId) ?? [];
    if (locations.length === 1) return this.atLocation.get(locations[0])?.get(productId) ?? [];
    return locations.flatMap((l) => this.atLocation.get(l)?.get(productId) ?? []);
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
