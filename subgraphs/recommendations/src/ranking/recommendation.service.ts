import { toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import type { CustomerLinks } from '../../../../shared/events/customer-links';
import { businessWindowStart } from '../../../../shared/business-time';
import { Channel } from '../../../../shared/graphql/channel';
import { placeholders, type CatalogService, type StockedVariant } from '../catalog/catalog.service';
import { LIST_TTL_SECONDS, scopes, type ListCache } from './list-cache';
import { readStateFollowingMerges, type StylePopularity } from './customer-state';
import { rankInStock, StockReader, type RankingCase } from './rank-in-stock';
import { LINES_PER_CUSTOMER, purchaseHistory } from './purchase-history';
import { NEIGHBOURS_PER_STYLE, neighbourSources, type Neighbour, type Ranked, type RankingInput } from './ranking-input';
import { businessDay } from './ranking.service';
import { boughtAgain, repeatPropensity } from './scoring';
import { trendAt } from './trend';

/** Views read per customer: the most recent ones (lines: LINES_PER_CUSTOMER). */
const VIEWS_PER_CUSTOMER = 100;
/** Styles held read per customer beyond those lines (what they own is not offered again). */
const HOLDINGS_PER_CUSTOMER = 1000;

/** Popular styles considered. */
const POPULAR_POOL = 100;
/** Where her size is unknown, the size most bought at the store over this many days. */
const STORE_SIZE_DAYS = 90;
/** A store's popularity: its sales over this many days; a channel's over CHANNEL_POPULAR_DAYS. */
const STORE_POPULAR_DAYS = 30;
const CHANNEL_POPULAR_DAYS = 90;
/** Longest list a field returns (`first`): as many as a style's cached neighbour list keeps. */
export const MAX_LIST = NEIGHBOURS_PER_STYLE;
/** A cached top-sellers list keeps this many, whichever caller (a field or the ranking) filled it. */
const SELLERS_KEPT = Math.max(POPULAR_POOL, MAX_LIST);
const REPEAT_TTL_SECONDS = 3600;
const ONLINE_CHANNELS: string[] = [Channel.EC, Channel.APP];
/** Scope of every channel's sales together: popularity without a channel, or where one has none. */
const ALL_CHANNELS = Object.values(Channel).join('+');

export interface RecommendationContextArgs {
  locationId?: string | null;
  channel?: string | null;
  inStockOnly?: boolean | null;
}

/**
 * Where the customer is shopping: a store (given, or where their presence says they are), online (EC
 * or APP), or anywhere; with the channel asked for, whose sales are its popularity.
 */
type Where = { kind: 'store'; locationId: string } | { kind: 'online' | 'any'; channel: string | null };

/** A neighbour with its own popularity, so that ranking needs no read of it. */
type PopularNeighbour = Neighbour & StylePopularity;

export interface Recommended extends Ranked {
  /** A SKU in the customer's usual size and colour of the style's category, available in context. */
  variantId: string | null;
}

/** Serves recommendations and lists from the precomputed state, a fixed number of statements per request. */
export class RecommendationService {
  constructor(
    private readonly db: Database,
    private readonly catalog: CatalogService,
    private readonly lists: ListCache,
    private readonly links: CustomerLinks,
    private readonly timeZone: string,
    private readonly presenceTtlMinutes: number,
  ) {}

  /**
   * Recommendations for each customer in one context (presence may make it a different store for each);
   * an id merged away gets its survivor's.
   */
  async recommendFor(
    customerIds: readonly string[],
    first: number,
    context: RecommendationContextArgs = {},
    now = new Date(),
    roots = this.links.rootLoader(),
  ): Promise<Map<string, Recommended[]>> {
    const channel = context.channel ?? null;
    const online = !!channel && ONLINE_CHANNELS.includes(channel);
    // The app goes with her into the store she checked into; the web shop (EC) stays online.
    const followsPresence = !context.locationId && channel !== Channel.EC;
    const state = await readStateFollowingMerges(
      this.db,
      customerIds,
      { lines: LINES_PER_CUSTOMER, views: VIEWS_PER_CUSTOMER, holdings: HOLDINGS_PER_CUSTOMER },
      followsPresence ? new Date(now.getTime() - this.presenceTtlMinutes * 60_000) : null,
      roots,
    );
    const { refused } = state;
    const given: Where = context.locationId ? { kind: 'store', locationId: context.locationId } : { kind: online ? 'online' : 'any', channel };
    const where = new Map<string, Where>(
      customerIds.map((id) => {
        // Presence is where the customer is, which is personal too.
        const at = refused.has(id) ? undefined : state.presentAt.get(id);
        return [id, at ? { kind: 'store', locationId: at } : given];
      }),
    );
    // In a store or online only what is in stock there counts, unless the caller says otherwise.
    const filtered = (w: Where) => context.inStockOnly ?? w.kind !== 'any';

    const personalIds = customerIds.filter((id) => !refused.has(id));
    // The lines read, and what the holdings know beyond them (purchase-history.ts, as offline evaluation reads a CSV).
    const purchases = new Map(personalIds.map((id) => [id, purchaseHistory(state.lines.get(id)!, state.holdings.get(id)!)]));
    // Neighbours of each customer's most recent styles bought (holdings too) or viewed: those `rank` takes.
    const sources = [
      ...new Set(personalIds.flatMap((id) => neighbourSources([...purchases.get(id)!.filter((p) => p.quantity > 0), ...state.views.get(id)!]))),
    ].sort();
    const places = [...where.values()];
    // A store's own new arrivals in a store context (those it has), the newest overall elsewhere.
    const storeIds = [...new Set(places.flatMap((w) => (w.kind === 'store' ? [w.locationId] : [])))];
    // The lists are independent: asked at once, their cache reads share round trips (Redis pipelines them).
    const [boughtTogether, viewedTogether, popularByWhere, arrivalsAtStore, newest, repeatHabits, shipping, facts] = await Promise.all([
      this.neighbours('co_purchase', sources),
      this.neighbours('co_view', sources),
      this.popular(places, now),
      this.newArrivalsAt(storeIds, MAX_LIST),
      places.some((w) => w.kind !== 'store') ? this.catalog.newArrivals(now) : [],
      this.repeatHabits(),
      places.some((w) => w.kind === 'online') ? this.catalog.shippingLocations() : [],
      this.catalog.styleFacts(),
    ]);
    // Buyers, repeat buyers and trend of every style the evidence can reach: the customers' own (read
    // with their state) and each neighbour's (kept with the neighbour lists).
    const popularity = new Map<string, StylePopularity>(state.popularity);
    for (const graph of [boughtTogether, viewedTogether]) {
      for (const list of graph.values()) for (const n of list) if (!popularity.has(n.productId)) popularity.set(n.productId, n);
    }
    const buyers = new Map<string, number>();
    const trend = new Map<string, number>();
    // trendAt(counter, now) is the counter times one factor at `now`.
    const decayNow = trendAt(1, now);
    for (const [id, p] of popularity) {
      buyers.set(id, p.buyers);
      trend.set(id, p.trend * decayNow);
    }

    const arrivalsAt = (w: Where) => (w.kind === 'store' ? arrivalsAtStore.get(w.locationId)! : newest);
    const categoryOf = (productId: string) => facts[productId]?.category ?? '';
    const locationsOf = (w: Where) => (w.kind === 'store' ? [w.locationId] : w.kind === 'online' ? shipping : null);

    // Stock is read for the styles that can make the lists only: each customer's ranking without
    // stock, best first, is checked in growing slices until `first` of them are in stock (see rankInStock).
    const stock = new StockReader(this.catalog, places.filter(filtered).flatMap((w) => locationsOf(w) ?? []));
    const habitsOf = new Map<string, Map<string, { size: string | null; color: string | null }>>();
    const inputs = new Map<string, RankingCase>();
    for (const customerId of customerIds) {
      const w = where.get(customerId)!;
      const personal = !refused.has(customerId);
      const mine = personal ? purchases.get(customerId) ?? [] : [];
      const habits = usualSizeAndColour(categoryOf, personal ? state.lines.get(customerId)! : []);
      habitsOf.set(customerId, habits);
      const sellable = (productId: string) => w.kind !== 'online' || !!facts[productId]?.soldOnline;
      const at = filtered(w) ? locationsOf(w) : undefined;
      // In her size where it is known.
      const inStock = (productId: string) => {
        const size = habits.get(categoryOf(productId))?.size;
        return stock.at(at!, productId).some((v) => !size || v.size === size);
      };
      const popular = popularByWhere.get(whereKey(w))!;
      const input: RankingInput = {
        now,
        personal,
        purchases: mine,
        views: personal ? state.views.get(customerId) ?? [] : [],
        boughtTogether,
        viewedTogether,
        buyers,
        popular: popular.list,
        popularInStore: popular.inStore,
        // Newness is a style's place among the arrivals of the context, whatever is in her size.
        newArrivals: arrivalsAt(w),
        trend,
        repeatable: (productId) => repeatHabits.repeatable.has(categoryOf(productId)),
        repeatRate: (productId) =>
          repeatPropensity(popularity.get(productId)?.repeatBuyers ?? 0, buyers.get(productId) ?? 0, repeatHabits.rates.get(categoryOf(productId)) ?? 0),
        eligible: sellable,
      };
      inputs.set(customerId, { input, stockAt: at, inStock });
    }
    const ranked = await rankInStock(inputs, first, stock);

    // A suggested SKU is in stock: in the context where it filters, anywhere otherwise (read for what was chosen only).
    const chosen = [...new Set([...ranked.values()].flat().map((r) => r.productId))];
    if (places.some((w) => !filtered(w))) await stock.ensure([{ at: null, productIds: chosen }]);
    // Where her size of a category is unknown, the size most bought at the store she is in (a cached list per store).
    const sizeUnknownIn = [
      ...new Set(
        customerIds.flatMap((id) => {
          const w = where.get(id)!;
          const unknown = ranked.get(id)!.some((r) => !habitsOf.get(id)!.get(categoryOf(r.productId)));
          return w.kind === 'store' && unknown ? [w.locationId] : [];
        }),
      ),
    ];
    const storeSizes = await this.sizesBoughtAt(sizeUnknownIn, now);
    return new Map(
      customerIds.map((customerId) => {
        const w = where.get(customerId)!;
        const at = filtered(w) ? locationsOf(w) : null;
        const habits = habitsOf.get(customerId)!;
        const sizesHere = w.kind === 'store' ? storeSizes.get(w.locationId) : undefined;
        return [
          customerId,
          ranked.get(customerId)!.map((r) => ({
            ...r,
            variantId: suggestVariant(stock.at(at, r.productId), habits.get(categoryOf(r.productId)), sizesHere?.[categoryOf(r.productId)] ?? []),
          })),
        ];
      }),
    );
  }

  /**
   * Per store, per category, its sizes by units sold there net of returns over the last
   * STORE_SIZE_DAYS business days, most first; cached until a sale or return at the store.
   */
  private async sizesBoughtAt(storeIds: readonly string[], now: Date): Promise<Map<string, Record<string, string[]>>> {
    const today = businessDay(now, this.timeZone);
    const key = (storeId: string) => `sizes-bought:${storeId}:${today}`;
    const lists = await this.lists.getMany(
      storeIds.map(key),
      (cacheKey) => [scopes.sales(cacheKey.split(':')[1]), scopes.catalog],
      LIST_TTL_SECONDS,
      async (missing) => {
        const ids = missing.map((cacheKey) => cacheKey.split(':')[1]);
        const since = businessWindowStart(now, STORE_SIZE_DAYS, this.timeZone);
        const rows: Array<{ location_id: string; category: string; size: string; units: unknown }> = await this.db.manager.query(
          `SELECT l.location_id, p.category, v.size, SUM(l.quantity - l.returned_quantity) AS units
           FROM purchase_line l JOIN variant_fact v ON v.variant_id = l.variant_id JOIN product_fact p ON p.product_id = l.product_id
           WHERE l.location_id IN (${placeholders(ids)}) AND l.placed_at >= ? GROUP BY l.location_id, p.category, v.size`,
          [...ids, this.db.dateParameter(since)],
        );
        const sorted = rows
          .map((r) => ({ ...r, units: toInt(r.units) }))
          .filter((r) => r.units > 0)
          .sort((a, b) => b.units - a.units || (a.size < b.size ? -1 : a.size > b.size ? 1 : 0));
        return new Map(
          ids.map((id) => {
            const byCategory: Record<string, string[]> = {};
            for (const r of sorted) if (r.location_id === id) (byCategory[r.category] ??= []).push(r.size);
            return [key(id), byCategory];
          }),
        );
      },
    );
    return new Map(storeIds.map((id) => [id, lists.get(key(id))!]));
  }

  /**
   * The NEIGHBOURS_PER_STYLE most similar neighbours of each style, in that order, each with its own
   * popularity; cached until the style's pairs change (a neighbour's own buyers and trend may move
   * within the cache's lifetime, LIST_TTL_SECONDS).
   */
  private async neighbours(pairTable: 'co_purchase' | 'co_view', productIds: readonly string[]): Promise<Map<string, PopularNeighbour[]>> {
    const key = (id: string) => `popular-neighbours:${pairTable}:${id}`;
    const idOf = (cacheKey: string) => cacheKey.slice(key('').length);
    const lists = await this.lists.getMany(
      productIds.map(key),
      (cacheKey) => [scopes.pairs(pairTable, idOf(cacheKey))],
      LIST_TTL_SECONDS,
      async (missing) => {
        const rows = await firstRowsPerParent(this.db.manager, {
          table: `(SELECT n.product_id, n.other_product_id, n.weight, COALESCE(p.buyers, 0) AS buyers,
                     COALESCE(p.repeat_buyers, 0) AS repeat_buyers, COALESCE(p.trend, 0) AS trend
                   FROM ${pairTable} n LEFT JOIN product_popularity p ON p.product_id = n.other_product_id)`,
          parentColumn: 'product_id',
          parentIds: missing.map(idOf),
          orderBy: 'weight * weight * 1.0 / CASE WHEN buyers > 1 THEN buyers ELSE 1 END DESC, other_product_id',
          limit: NEIGHBOURS_PER_STYLE,
        });
        return new Map(
          missing.map((cacheKey) => [
            cacheKey,
            (rows.get(idOf(cacheKey)) ?? []).map((r) => ({
              productId: String(r.other_product_id),
              weight: toInt(r.weight),
              buyers: toInt(r.buyers),
              repeatBuyers: toInt(r.repeat_buyers),
              trend: Number(r.trend),
            })),
          ]),
        );
      },
    );
    return new Map(productIds.map((id) => [id, lists.get(key(id))!]));
  }

  /**
   * Popularity per place (by whereKey): a store's bestsellers in a store context (POPULAR_IN_STORE),
   * otherwise those of the channel asked for, or of every channel (also where that has no sales); at
   * most two reads, however many stores.
   */
  private async popular(places: Where[], now: Date): Promise<Map<string, { list: Array<{ productId: string; score: number }>; inStore: boolean }>> {
    const stores = [...new Set(places.flatMap((w) => (w.kind === 'store' ? [w.locationId] : [])))];
    const storeLists = await this.topSellers(stores, STORE_POPULAR_DAYS, now, POPULAR_POOL);
    // A store without recent sales has no bestsellers of its own: every channel's popularity stands in.
    const channelsOf = (w: Where) => (w.kind !== 'store' && w.channel) || ALL_CHANNELS;
    const needsChannels = places.filter((w) => w.kind !== 'store' || !storeLists.get(w.locationId)!.length);
    const channelKeys = needsChannels.length ? [...new Set([...needsChannels.map(channelsOf), ALL_CHANNELS])] : [];
    const channelLists = await this.topSellers(channelKeys, CHANNEL_POPULAR_DAYS, now, POPULAR_POOL);
    const channelList = (w: Where) => (channelLists.get(channelsOf(w))!.length ? channelLists.get(channelsOf(w))! : channelLists.get(ALL_CHANNELS)!);
    return new Map(
      places.map((w) => {
        const own = w.kind === 'store' ? storeLists.get(w.locationId)! : [];
        return [whereKey(w), own.length ? { list: own, inStore: true } : { list: channelList(w), inStore: false }];
      }),
    );
  }

  /**
   * Units sold net of returns over the last `days` business days, per scope (a store's id, or channels
   * joined by `+`), best first, from the per-day sales; cached until a sale or return in the scope.
   */
  async topSellers(
    keys: readonly string[],
    days: number,
    now: Date,
    first: number,
  ): Promise<Map<string, Array<{ productId: string; score: number }>>> {
    const since = businessDay(businessWindowStart(now, days, this.timeZone), this.timeZone);
    const today = businessDay(now, this.timeZone);
    const lists = await this.lists.getMany(
      keys.map((k) => `sellers:${k}:${days}:${today}`),
      (cacheKey) => cacheKey.split(':')[1].split('+').map(scopes.sales),
      LIST_TTL_SECONDS,
      async (missing) => {
        const wanted = missing.map((cacheKey) => cacheKey.split(':')[1]);
        const scopeList = [...new Set(wanted.flatMap((k) => k.split('+')))];
        const rows: Array<{ scope: string; product_id: string; units: unknown }> = await this.db.manager.query(
          `SELECT scope, product_id, SUM(units) AS units FROM product_sales_day
           WHERE scope IN (${placeholders(scopeList)}) AND day >= ? GROUP BY scope, product_id`,
          [...scopeList, since],
        );
        return new Map(
          missing.map((cacheKey, i) => {
            const members = wanted[i].split('+');
            const units = new Map<string, number>();
            for (const r of rows) if (members.includes(r.scope)) units.set(r.product_id, (units.get(r.product_id) ?? 0) + toInt(r.units));
            const list = [...units]
              .filter(([, n]) => n > 0)
              .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
              .slice(0, SELLERS_KEPT)
              .map(([productId, score]) => ({ productId, score }));
            return [cacheKey, list];
          }),
        );
      },
    );
    return new Map(keys.map((k) => [k, lists.get(`sellers:${k}:${days}:${today}`)!.slice(0, first)]));
  }

  /** Per category, the share of its holdings bought in two orders or more, and whether it is bought again (scoring.ts). */
  private async repeatHabits(): Promise<{ repeatable: Set<string>; rates: Map<string, number> }> {
    const categories = await this.lists.get('repeat-habits', [scopes.catalog], REPEAT_TTL_SECONDS, async () => {
      const rows: Array<{ category: string; holdings: unknown; repeated: unknown }> = await this.db.manager.query(
        `SELECT p.category, COUNT(*) AS holdings, SUM(CASE WHEN c.orders >= 2 THEN 1 ELSE 0 END) AS repeated
         FROM customer_product c JOIN product_fact p ON p.product_id = c.product_id GROUP BY p.category`,
      );
      return rows.map((r) => ({ category: r.category, holdings: toInt(r.holdings), repeated: toInt(r.repeated) }));
    });
    return {
      repeatable: new Set(categories.filter((c) => boughtAgain(c.holdings, c.repeated)).map((c) => c.category)),
      rates: new Map(categories.map((c) => [c.category, c.holdings ? c.repeated / c.holdings : 0])),
    };
  }

  /** The styles most strongly associated with each given style by the customers who bought both. */
  async boughtTogether(productIds: readonly string[], first: number): Promise<Map<string, string[]>> {
    const lists = await this.neighbours('co_purchase', productIds);
    return new Map(productIds.map((id) => [id, lists.get(id)!.slice(0, first).map((n) => n.productId)]));
  }

  /** Best-selling styles (units sold there, net of returns) over the last `days` days of the business calendar. */
  async bestsellers(locationIds: readonly string[], days: number, first: number): Promise<Map<string, string[]>> {
    const lists = await this.topSellers(locationIds, days, new Date(), first);
    return new Map(locationIds.map((id) => [id, lists.get(id)!.map((p) => p.productId)]));
  }

  /** New arrivals with units available at each location, newest first. */
  async newArrivalsAt(locationIds: readonly string[], first: number): Promise<Map<string, string[]>> {
    const now = new Date();
    const key = (locationId: string) => `new-arrivals-at:${locationId}:${now.toISOString().slice(0, 13)}`;
    const lists = await this.lists.getMany(
      locationIds.map(key),
      (cacheKey) => [scopes.catalog, scopes.stock(cacheKey.split(':')[1])],
      LIST_TTL_SECONDS,
      async (missing) => {
        const ids = missing.map((cacheKey) => cacheKey.split(':')[1]);
        const arrivals = await this.catalog.newArrivalsAt(ids, now, MAX_LIST);
        return new Map(ids.map((id) => [key(id), arrivals.get(id) ?? []]));
      },
    );
    return new Map(locationIds.map((id) => [id, lists.get(key(id))!.slice(0, first)]));
  }
}

function mapValues<K, A, B>(map: Map<K, A>, f: (value: A) => B): Map<K, B> {
  return new Map([...map].map(([k, v]) => [k, f(v)]));
}

function whereKey(w: Where): string {
  return w.kind === 'store' ? `store:${w.locationId}` : `${w.kind}:${w.channel ?? ''}`;
}

/**
 * The size and the colour the customer bought most units of, per category (sizes differ between
 * shoes and tops), from the lines read (newest first); the most recent wins a tie.
 */
function usualSizeAndColour(
  categoryOf: (productId: string) => string,
  lines: ReadonlyArray<{ productId: string; quantity: number; size: string | null; color: string | null }>,
): Map<string, { size: string | null; color: string | null }> {
  const counts = new Map<string, { size: Map<string, number>; color: Map<string, number> }>();
  // Lines come newest first: a later (older) line must beat a count strictly to win.
  for (const line of lines) {
    const category = categoryOf(line.productId);
    if (!(line.quantity > 0) || !category || line.size === null || line.color === null) continue;
    const entry = counts.get(category) ?? { size: new Map(), color: new Map() };
    entry.size.set(line.size, (entry.size.get(line.size) ?? 0) + line.quantity);
    entry.color.set(line.color, (entry.color.get(line.color) ?? 0) + line.quantity);
    counts.set(category, entry);
  }
  const top = (m: Map<string, number>) => [...m].reduce<[string, number] | null>((best, e) => (!best || e[1] > best[1] ? e : best), null)?.[0] ?? null;
  return mapValues(counts, (c) => ({ size: top(c.size), color: top(c.color) }));
}

/**
 * A SKU in stock of the customer's usual size and colour, else of her size (none when her size is not
 * in stock). Where her size is unknown: of the size most bought at the store (`sizesBought`, most
 * first), else the SKU with the most units available; in her usual colour where it can be.
 */
function suggestVariant(
  variants: StockedVariant[],
  habit: { size: string | null; color: string | null } | undefined,
  sizesBought: readonly string[],
): string | null {
  const sorted = [...variants].sort((a, b) => (a.variantId < b.variantId ? -1 : 1));
  const inColour = (list: StockedVariant[]) => list.find((v) => habit?.color && v.color === habit.color) ?? list[0];
  if (habit?.size) return inColour(sorted.filter((v) => v.size === habit.size))?.variantId ?? null;
  for (const size of sizesBought) {
    const match = inColour(sorted.filter((v) => v.size === size));
    if (match) return match.variantId;
  }
  const deepest = [...sorted].sort((a, b) => b.available - a.available);
  return inColour(deepest.filter((v) => v.available === deepest[0]?.available))?.variantId ?? null;
}
