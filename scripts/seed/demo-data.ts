/**
 * Deterministic demo data for a Japanese fashion retailer: stores, styles, stock, customers with their identities,
 * two years of orders, and the browsing around them (touchpoints). Pure: no I/O, no clock, no Math.random; the same
 * options give byte-identical output.
 *
 * The history is generated from hidden per-customer traits (sizes, favourite colours, category and style taste,
 * home store, activity) and per-style traits (collection, season, popularity), so a recommender has real signal
 * to find, blurred by enough noise that it is not a lookup table.
 */
import {
  APPAREL_SIZES,
  BRANDS,
  CATEGORIES,
  COLOURS,
  LOCATIONS,
  SOCK_SIZES,
  STYLE_TAGS,
  type CategoryName,
  type CategorySpec,
  type Season,
  type StyleTag,
} from './catalog';
import { FAMILY_NAMES, FEMALE_GIVEN_NAMES, HANDLE_WORDS, MALE_GIVEN_NAMES, type NamePart } from './names';
import { Random, hash32, searchCumulative } from './random';
import { distanceKm } from '../../subgraphs/inventory/src/location/geo';

export interface DemoDataOptions {
  /** 1 = the full data set; tests use e.g. 0.02. Counts of customers/orders/styles scale with it (with sane minimums: at least 20 styles, 50 customers, 300 orders). Locations are always all of them. */
  scale: number;
  /** PRNG seed; same seed + same anchor => byte-identical output. */
  seed: number;
  /** The "now" the history ends at (orders span the two years before it). */
  anchor: Date;
}

export interface DemoLocation { id: string; code: string; name: string; type: 'STORE' | 'WAREHOUSE'; address: string; lat: number; lng: number; pickupEnabled: boolean; beaconIds: string[] }
export interface DemoVariant { id: string; sku: string; color: string; size: string }
export interface DemoProduct { id: string; code: string; name: string; brand: string; category: string; price: number /* JPY, tax-inclusive, integer */; releasedAt: Date; soldOnline: boolean; variants: DemoVariant[] }
export interface DemoStock { locationId: string; lines: Array<{ variantId: string; productId: string; quantity: number }> } // one entry per location
export type DemoIdentityType = 'EMAIL' | 'PHONE' | 'EC_ACCOUNT' | 'MEMBER_CARD' | 'APP_INSTALL' | 'LINE_USER' | 'DEVICE';
export type DemoChannel = 'EC' | 'APP' | 'STORE';
export interface DemoCustomer { id: string; displayName: string; displayNameKana: string; email: string | null; phone: string | null; channel: DemoChannel /* where they registered */; createdAt: Date; identities: Array<{ type: DemoIdentityType; value: string; verified: boolean; channel: DemoChannel | 'PARTNER'; linkedAt: Date }> }
export interface DemoOrderLine { variantId: string; productId: string; quantity: number; unitPrice: number /* JPY tax-incl., = product price, occasionally discounted 10-30% in sales seasons */ }
export interface DemoOrder { id: string; number: string /* unique, e.g. EC-2025-0001234 / ST-... */; channel: DemoChannel; customerId: string | null; locationId: string | null /* store of purchase for STORE; pickup store for PICKUP_IN_STORE; null for SHIP */; placedAt: Date; externalId: string | null /* POS transaction id for STORE sales, unique */; fulfillmentType: 'SHIP' | 'PICKUP_IN_STORE' | 'CARRY_OUT'; lines: DemoOrderLine[] }
export type DemoTouchpointType = 'PAGE_VIEW' | 'PRODUCT_VIEW' | 'SEARCH' | 'ADD_TO_CART' | 'APP_OPEN';
export interface DemoTouchpoint {
  eventId: string /* unique, ev-<hex> */;
  customerId: string | null /* null when only a device knows the visitor */;
  identity: { type: 'DEVICE'; value: string } | null /* set exactly when customerId is null */;
  type: DemoTouchpointType;
  channel: 'EC' | 'APP';
  occurredAt: Date;
  productId: string | null /* PRODUCT_VIEW and ADD_TO_CART: a released style sold online */;
  variantId: string | null /* ADD_TO_CART: a variant of productId */;
  query: string | null /* SEARCH */;
}
export interface DemoData { locations: DemoLocation[]; products: DemoProduct[]; stock: DemoStock[]; customers: DemoCustomer[]; orders: DemoOrder[] /* sorted by placedAt ascending */; touchpoints: DemoTouchpoint[] /* sorted by occurredAt ascending */; duplicates: Array<{ a: string; b: string }> /* customer id pairs a merge would join */ }

/** Builds the whole data set in memory (scale 1: 600 styles, 6,000 customers, 56,000 orders, about 60,000 touchpoints; about a second). */
export function generateDemoData(options: DemoDataOptions): DemoData {
  const { scale, seed, anchor } = options;
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be a positive number, got ${scale}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  if (!(anchor instanceof Date) || Number.isNaN(anchor.getTime())) throw new RangeError('anchor must be a valid Date');

  const timeline = makeTimeline(anchor.getTime());
  const locations = buildLocations(new Random(seed, 'locations'));
  const catalog = buildCatalog(new Random(seed, 'catalog'), Math.max(20, Math.round(600 * scale)), timeline);
  const people = buildCustomers(new Random(seed, 'customers'), Math.max(50, Math.round(6000 * scale)), timeline);
  const orders = buildOrders(new Random(seed, 'orders'), Math.max(300, Math.round(56_000 * scale)), timeline, catalog, people.accounts, locations);
  const touchpoints = buildTouchpoints(new Random(seed, 'touchpoints'), timeline, catalog, people.accounts, orders);
  return {
    locations,
    products: catalog.styles.map((s) => s.product),
    stock: buildStock(new Random(seed, 'stock'), catalog.styles, timeline, locations),
    customers: people.accounts.map((a) => a.customer),
    orders,
    touchpoints,
    duplicates: people.duplicates,
  };
}

const SECOND = 1000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** Japan has no daylight saving time, so JST is a fixed offset. */
const JST = 9 * HOUR;
/** Resolution of the precomputed demand tables: fine enough that new styles start selling within two days. */
const BUCKET = 2 * DAY;
const WOMEN = 0;
const MEN = 1;
const UNISEX = 2;
const SALE_MONTHS = [0, 6];

// ---------------------------------------------------------------------------------------------------------------
// Time

interface Timeline {
  anchor: number;
  /** The anchor minus two calendar years. */
  start: number;
  /** First JST midnight at or after `start`: the core range goes on sale then and the order history begins. */
  opening: number;
  /** Latest whole second strictly before the anchor: the last moment an order may carry. */
  last: number;
  firstDay: number;
  /** Per JST day from `firstDay`: calendar month (0-11) and relative trading volume. */
  month: Uint8Array;
  volume: Float64Array;
  maxVolume: number;
}

/** Order volume per JST month: New Year and summer sales, and the December gift season. */
const MONTH_VOLUME = [1.35, 0.8, 1.0, 1.0, 0.95, 1.0, 1.3, 0.85, 0.9, 1.05, 1.15, 1.4];
/** Sunday first: weekends are busier. */
const WEEKDAY_VOLUME = [1.3, 0.85, 0.85, 0.85, 0.9, 1.05, 1.35];
/** Share of the day's store transactions per opening hour, 10:00-20:59 JST. */
const STORE_HOURS = [0.6, 0.9, 1.1, 1.2, 1.2, 1.2, 1.3, 1.3, 1.2, 1.0, 0.7];
/** Online orders per JST hour, midnight first: lunch and late-evening peaks. */
const ONLINE_HOURS = [0.6, 0.35, 0.2, 0.12, 0.1, 0.15, 0.3, 0.55, 0.8, 0.9, 1.0, 1.1, 1.35, 1.1, 1.0, 1.0, 1.0, 1.1, 1.3, 1.6, 1.9, 2.0, 1.7, 1.1];

function makeTimeline(anchor: number): Timeline {
  const startDate = new Date(anchor);
  startDate.setUTCFullYear(startDate.getUTCFullYear() - 2);
  const start = startDate.getTime();
  const firstDay = Math.ceil((start + JST) / DAY);
  const last = Math.ceil(anchor / SECOND) * SECOND - SECOND;
  const days = jstDay(last) - firstDay + 1;
  const month = new Uint8Array(days);
  const volume = new Float64Array(days);
  let maxVolume = 0;
  for (let d = 0; d < days; d++) {
    const date = new Date((firstDay + d) * DAY);
    month[d] = date.getUTCMonth();
    // Modest year-on-year growth so the recent year weighs a little more.
    volume[d] = MONTH_VOLUME[month[d]] * WEEKDAY_VOLUME[date.getUTCDay()] * (1 + (0.15 * d) / days);
    maxVolume = Math.max(maxVolume, volume[d]);
  }
  return { anchor, start, opening: firstDay * DAY - JST, last, firstDay, month, volume, maxVolume };
}

function jstDay(t: number): number {
  return Math.floor((t + JST) / DAY);
}

function jstMidnight(t: number): number {
  return jstDay(t) * DAY - JST;
}

function monthAt(tl: Timeline, t: number): number {
  return tl.month[Math.min(tl.month.length - 1, Math.max(0, jstDay(t) - tl.firstDay))];
}

function wholeSecond(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

/** A whole second in [lo, hi], days weighted by trading volume (hi and lo are whole seconds). */
function sampleInstant(rng: Random, tl: Timeline, lo: number, hi: number): number {
  const span = (hi - lo) / SECOND + 1;
  for (;;) {
    const t = lo + rng.int(span) * SECOND;
    if (rng.float() * tl.maxVolume < tl.volume[jstDay(t) - tl.firstDay]) return t;
  }
}

/** A whole second on the same JST day as `t` and within [lo, hi], at an hour typical for the channel; `t` if no such hour overlaps. */
function atTypicalHour(rng: Random, t: number, store: boolean, lo: number, hi: number): number {
  const profile = store ? STORE_HOURS : ONLINE_HOURS;
  const firstHour = jstMidnight(t) + (store ? 10 : 0) * HOUR;
  const span = (i: number) => [Math.max(lo, firstHour + i * HOUR), Math.min(hi, firstHour + (i + 1) * HOUR - SECOND)];
  const hour = rng.weighted(
    profile.map((weight, i) => {
      const [from, to] = span(i);
      return to < from ? 0 : (weight * (to - from + SECOND)) / HOUR;
    }),
  );
  if (hour < 0) return t;
  const [from, to] = span(hour);
  return from + rng.int((to - from) / SECOND + 1) * SECOND;
}

// ---------------------------------------------------------------------------------------------------------------
// Locations

function buildLocations(rng: Random): DemoLocation[] {
  return LOCATIONS.map((spec) => ({
    id: rng.uuid(),
    code: spec.code,
    name: spec.name,
    type: spec.type,
    address: spec.address,
    lat: spec.lat,
    lng: spec.lng,
    pickupEnabled: spec.pickupEnabled,
    beaconIds: Array.from({ length: spec.beacons }, (_, i) => `beacon-${spec.code.toLowerCase()}-${i + 1}`),
  }));
}

const STORES = LOCATIONS.flatMap((spec, index) => (spec.type === 'STORE' ? [index] : []));
const WAREHOUSE = LOCATIONS.findIndex((spec) => spec.type === 'WAREHOUSE');
const STORE_SHARES = STORES.map((i) => LOCATIONS[i].customerShare);

/** For each store (by position in STORES), the closest store that offers click & collect. */
const PICKUP_STORE = STORES.map((home) => {
  let best = -1;
  let bestKm = Infinity;
  for (const i of STORES) {
    if (!LOCATIONS[i].pickupEnabled) continue;
    const km = distanceKm(LOCATIONS[home], LOCATIONS[i]);
    if (km < bestKm) [best, bestKm] = [i, km];
  }
  return best;
});

// ---------------------------------------------------------------------------------------------------------------
// Catalogue

interface Style {
  index: number;
  product: DemoProduct;
  category: number;
  spec: CategorySpec;
  collection: number;
  /** WOMEN, MEN or UNISEX. */
  gender: number;
  season: Season;
  release: number;
  popularity: number;
  /** Palette indices; the first is the lead colour. Variant index = colour position * sizes.length + size position. */
  colours: number[];
  sizes: readonly string[];
}

/** A look: styles launched together that are designed, and so bought, together. */
interface Collection {
  tag: number;
  season: Season;
  launch: number;
  styles: number[];
}

interface Catalog {
  styles: Style[];
  /** Sorted by launch. */
  collections: Collection[];
}

const TAG_INDEX = (tag: StyleTag) => STYLE_TAGS.indexOf(tag);
const BRAND_WEIGHTS = BRANDS.map((b) => b.weight);
/** How many colours a style comes in: 1 to 5. */
const COLOUR_COUNT_WEIGHTS = [15, 25, 30, 20, 10];
const SEASON_FIT: Readonly<Record<Season, readonly number[]>> = {
  SS: [0.3, 0.5, 0.9, 1.2, 1.3, 1.3, 1.2, 1.0, 0.6, 0.3, 0.2, 0.2],
  AW: [1.2, 0.9, 0.5, 0.25, 0.15, 0.1, 0.15, 0.4, 0.9, 1.3, 1.4, 1.4],
  CORE: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
};

function buildCatalog(rng: Random, count: number, tl: Timeline): Catalog {
  type Draft = Omit<Style, 'index' | 'product' | 'popularity'> & { boost: number; name: string; brand: string; price: number; soldOnline: boolean };
  const drafts: Draft[] = [];
  const collections: Collection[] = [];

  const addCollection = (size: number, brandIndex: number, tag: number, season: Season, launch: number) => {
    const collection = collections.push({ tag, season, launch, styles: [] }) - 1;
    const brand = BRANDS[brandIndex];
    const boost = Math.exp(rng.normal() * 0.5);
    const mix = CATEGORIES.map((c) => c.mix[season] * (c.womenOnly && STYLE_TAGS[tag] === 'feminine' ? 2.5 : 1));
    for (let k = 0; k < size; k++) {
      const category = rng.weighted(mix);
      const spec = CATEGORIES[category];
      const r = rng.float();
      const gender = spec.womenOnly ? WOMEN : r < brand.women ? WOMEN : r < brand.women + brand.men ? MEN : UNISEX;
      const last = spec.prices.length - 1;
      const priceAt = Math.round((brand.tier * last) / 2 + (rng.float() - 0.5) * (last + 1) * 0.6);
      const prefix = spec.womenOnly || gender === UNISEX ? '' : gender === WOMEN ? "Women's " : "Men's ";
      drafts.push({
        category,
        spec,
        collection,
        gender,
        season,
        release: season === 'CORE' ? launch : Math.min(launch + rng.int(11) * DAY, jstMidnight(tl.last)),
        colours: pickColours(rng, season),
        sizes: sizeRun(spec, gender),
        boost,
        name: `${prefix}${rng.pick(spec.materials)} ${rng.pick(spec.nouns)}`,
        brand: brand.name,
        price: spec.prices[Math.min(last, Math.max(0, priceAt))],
        // Basics are always online; some seasonal styles are store exclusives.
        soldOnline: season === 'CORE' || rng.chance(0.82),
      });
    }
  };

  const coreCount = Math.max(4, Math.round(count * 0.2));
  const coreCollections = Math.max(1, Math.round(coreCount / 12));
  for (let i = 0; i < coreCollections; i++) {
    addCollection(share(coreCount, coreCollections, i), 0, TAG_INDEX('basic'), 'CORE', tl.opening);
  }
  // Seasonal drops evenly over the two years; the last lands in the final weeks, so there are new arrivals.
  const seasonalCount = count - coreCount;
  const drops = Math.max(1, Math.round(seasonalCount / 10));
  const firstDrop = jstMidnight(tl.start + 14 * DAY);
  const lastDrop = jstMidnight(tl.anchor - 14 * DAY);
  for (let i = 0; i < drops; i++) {
    const launch = drops === 1 ? lastDrop : jstMidnight(firstDrop + ((lastDrop - firstDrop) * i) / (drops - 1));
    const month = monthAt(tl, launch);
    const brandIndex = rng.weighted(BRAND_WEIGHTS);
    const tag = TAG_INDEX(rng.pick(BRANDS[brandIndex].tags));
    addCollection(share(seasonalCount, drops, i), brandIndex, tag, month >= 1 && month <= 6 ? 'SS' : 'AW', launch);
  }

  // Zipf-like popularity over a random ranking, lifted or sunk per collection (hit looks exist).
  const ranks = shuffledIndices(rng, drafts.length);
  const popularity = drafts.map((d, i) => (d.boost * (d.season === 'CORE' ? 1.5 : 1)) / (ranks[i] + 1) ** 0.9);
  const order = drafts.map((_, i) => i).sort((a, b) => drafts[a].release - drafts[b].release || a - b);

  const styles = order.map((draftIndex, index): Style => {
    const d = drafts[draftIndex];
    const code = `ST-${String(index + 1).padStart(5, '0')}`;
    const product: DemoProduct = {
      id: rng.uuid(),
      code,
      name: d.name,
      brand: d.brand,
      category: d.spec.name,
      price: d.price,
      releasedAt: new Date(d.release),
      soldOnline: d.soldOnline,
      variants: [],
    };
    for (const colour of d.colours) {
      for (const size of d.sizes) {
        product.variants.push({ id: rng.uuid(), sku: `${code}-${COLOURS[colour].code}-${size}`, color: COLOURS[colour].name, size });
      }
    }
    collections[d.collection].styles.push(index);
    return {
      index,
      product,
      category: d.category,
      spec: d.spec,
      collection: d.collection,
      gender: d.gender,
      season: d.season,
      release: d.release,
      popularity: popularity[draftIndex],
      colours: d.colours,
      sizes: d.sizes,
    };
  });
  return { styles, collections };
}

function pickColours(rng: Random, season: Season): number[] {
  const weights = COLOURS.map((c) => c.weight * (c.season === 'CORE' ? 1 : c.season === season ? 2.5 : 0.25));
  const count = rng.weighted(COLOUR_COUNT_WEIGHTS) + 1;
  const picked: number[] = [];
  while (picked.length < count) {
    const c = rng.weighted(weights);
    picked.push(c);
    weights[c] = 0;
  }
  return picked;
}

function sizeRun(spec: CategorySpec, gender: number): readonly string[] {
  switch (spec.sizeRun) {
    case 'APPAREL':
      return APPAREL_SIZES;
    case 'SOCKS':
      return SOCK_SIZES;
    case 'FREE':
      return ['FREE'];
    case 'SHOES': {
      const [from, to] = gender === WOMEN ? [22.5, 25.5] : gender === MEN ? [24.5, 28] : [22.5, 28];
      const sizes: string[] = [];
      for (let s = from; s <= to; s += 0.5) sizes.push(s.toFixed(1));
      return sizes;
    }
  }
}

/** Size of part `i` when `total` is split into `parts` near-equal parts. */
function share(total: number, parts: number, i: number): number {
  return Math.floor(((i + 1) * total) / parts) - Math.floor((i * total) / parts);
}

function shuffledIndices(rng: Random, n: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------------------------
// Demand: per time bucket, shopper gender and channel, the running weight of every style, grouped by category, so
// a draw is a binary search instead of a scan over the catalogue.

interface Demand {
  buckets: number;
  /** Position of each style within a table block (styles grouped by category). */
  position: Int32Array;
  /** Style at each position. */
  styleAt: Int32Array;
  /** First position of each category; one extra entry closes the last one. */
  categoryStart: Int32Array;
  /** Running weights restarting per category: [table * styles + position]. */
  cumulative: Float64Array;
  /** Weight of each category: [table * categories + category]. */
  totals: Float64Array;
}

function demandTable(bucket: number, gender: number, online: boolean): number {
  return (bucket * 2 + gender) * 2 + (online ? 1 : 0);
}

function buildDemand(styles: Style[], tl: Timeline): Demand {
  const n = styles.length;
  const k = CATEGORIES.length;
  const buckets = Math.floor((tl.last - tl.opening) / BUCKET) + 1;
  const styleAt = new Int32Array(n);
  const position = new Int32Array(n);
  const categoryStart = new Int32Array(k + 1);
  let p = 0;
  for (let c = 0; c < k; c++) {
    categoryStart[c] = p;
    for (const s of styles) {
      if (s.category !== c) continue;
      styleAt[p] = s.index;
      position[s.index] = p++;
    }
  }
  categoryStart[k] = p;

  const cumulative = new Float64Array(buckets * 4 * n);
  const totals = new Float64Array(buckets * 4 * k);
  const base = new Float64Array(n);
  for (let b = 0; b < buckets; b++) {
    const from = tl.opening + b * BUCKET;
    const month = monthAt(tl, from + BUCKET / 2);
    for (const s of styles) base[s.index] = s.release <= from ? s.popularity * SEASON_FIT[s.season][month] * lifecycle(s, from, month) : 0;
    for (let gender = WOMEN; gender <= MEN; gender++) {
      for (const online of [false, true]) {
        const table = demandTable(b, gender, online);
        for (let c = 0; c < k; c++) {
          let sum = 0;
          for (let q = categoryStart[c]; q < categoryStart[c + 1]; q++) {
            const s = styles[styleAt[q]];
            if (!online || s.product.soldOnline) sum += base[s.index] * (s.gender === UNISEX || s.gender === gender ? 1 : 0.08);
            cumulative[table * n + q] = sum;
          }
          totals[table * k + c] = sum;
        }
      }
    }
  }
  return { buckets, position, styleAt, categoryStart, cumulative, totals };
}

/** Seasonal styles sell best just after launch, fade after a couple of months and come back in clearance sales. */
function lifecycle(style: Style, t: number, month: number): number {
  if (style.season === 'CORE') return 1;
  const age = (t - style.release) / DAY;
  const fresh = age < 21 ? 1.6 : 1;
  const fade = Math.max(0.06, Math.exp(-Math.max(0, age - 60) / 120));
  const clearance = age > 45 && SALE_MONTHS.includes(month) ? 1.8 : 1;
  return fresh * fade * clearance;
}

// ---------------------------------------------------------------------------------------------------------------
// Customers

/** The person behind one or (for duplicates) two customer records. Never emitted: it is what the orders follow. */
interface Persona {
  family: NamePart;
  given: NamePart;
  gender: number;
  birthYear: number;
  apparelSize: number;
  shoeSize: number;
  colours: number[];
  categoryTaste: Float64Array;
  tagTaste: Float64Array;
  /** Index into LOCATIONS. */
  home: number;
  pickupStore: number;
  storeShare: number;
  pickupRate: number;
  /** Engagement: sets how often the person buys and how much they browse. */
  activity: number;
}

interface Account {
  persona: Persona;
  customer: DemoCustomer;
  /** When each channel became usable (Infinity: never). */
  storeSince: number;
  onlineSince: number;
  appSince: number;
  /** Last moment the customer shops (some lapse). */
  until: number;
  /** Relative expected number of orders. */
  weight: number;
}

const FAMILY_WEIGHTS = FAMILY_NAMES.map((_, i) => 1 / (i + 1) ** 0.6);
const FEMALE_WEIGHTS = FEMALE_GIVEN_NAMES.map((_, i) => 1 / (i + 1) ** 0.3);
const MALE_WEIGHTS = MALE_GIVEN_NAMES.map((_, i) => 1 / (i + 1) ** 0.3);
/** Apparel size habits (XS..XL). */
const APPAREL_SIZE_WEIGHTS = [
  [10, 30, 40, 17, 3],
  [2, 10, 35, 36, 17],
];
/** Style tags a first favourite is drawn from, by gender (order of STYLE_TAGS; 'basic' is everyone's fallback). */
const TAG_FAVOURITE_WEIGHTS = [
  [0, 1.2, 1.2, 0.7, 0.7, 1, 1.5],
  [0, 1.2, 1.2, 1.3, 1.3, 1, 0.1],
];
const YEAR = 365.25 * DAY;

function buildCustomers(rng: Random, count: number, tl: Timeline): { accounts: Account[]; duplicates: Array<{ a: string; b: string }> } {
  const ids = new IdentityMaker(rng, tl);
  const accounts: Account[] = [];
  const duplicates: Array<{ a: string; b: string }> = [];
  const pairs = Math.max(1, Math.round(count * 0.01));
  const anchorYear = new Date(tl.anchor + JST).getUTCFullYear();

  for (let i = 0; i < count - pairs; i++) {
    const persona = makePersona(rng, anchorYear);
    // Members who joined before the window keep buying in it; newer sign-ups skew recent (the business grows).
    const createdAt = rng.chance(0.55)
      ? wholeSecond(tl.start - rng.float() * 4 * YEAR)
      : wholeSecond(tl.opening + Math.sqrt(rng.float()) * (tl.last - tl.opening));
    if (i < pairs) {
      // The same person registered twice, once with a card in store and once online, never linked.
      const later = Math.min(tl.last, wholeSecond(createdAt + (30 + rng.exponential(200)) * DAY));
      const storeFirst = rng.chance(0.6);
      const phone = rng.chance(0.6) ? (rng.chance(0.5) ? 'store' : 'online') : 'none';
      const inStore = ids.open(persona, storeFirst ? createdAt : later, Infinity, phone === 'store', 0.6);
      const online = ids.open(persona, Infinity, storeFirst ? later : createdAt, phone === 'online', 0.6);
      accounts.push(inStore, online);
      duplicates.push({ a: inStore.customer.id, b: online.customer.id });
      continue;
    }
    const kind = rng.float();
    if (kind < 0.3) accounts.push(ids.open(persona, createdAt, Infinity, rng.chance(0.65), 1));
    else if (kind < 0.7) accounts.push(ids.open(persona, Infinity, createdAt, rng.chance(0.35), 1));
    else {
      // Omnichannel members add the second channel some months in, and spend more.
      const later = Math.min(tl.last, wholeSecond(createdAt + rng.exponential(120) * DAY));
      const storeFirst = rng.chance(0.55);
      accounts.push(ids.open(persona, storeFirst ? createdAt : later, storeFirst ? later : createdAt, rng.chance(0.55), 1.5));
    }
  }
  accounts.sort((a, b) => a.customer.createdAt.getTime() - b.customer.createdAt.getTime());
  return { accounts, duplicates };
}

function makePersona(rng: Random, anchorYear: number): Persona {
  const gender = rng.chance(0.6) ? WOMEN : MEN;
  const favourites: number[] = [];
  const colourWeights = COLOURS.map((c) => c.weight);
  for (let n = rng.range(2, 3); favourites.length < n; ) {
    const c = rng.weighted(colourWeights);
    favourites.push(c);
    colourWeights[c] = 0;
  }
  const tagTaste = new Float64Array(STYLE_TAGS.length).map(() => 0.2 * Math.exp(rng.normal()));
  tagTaste[rng.weighted(TAG_FAVOURITE_WEIGHTS[gender])] += 2.5;
  if (rng.chance(0.5)) tagTaste[rng.weighted(TAG_FAVOURITE_WEIGHTS[gender])] += 1.2;
  tagTaste[TAG_INDEX('basic')] += 0.5;
  const shoe = gender === WOMEN ? 23.8 + rng.normal() * 0.7 : 26.3 + rng.normal() * 0.8;
  const home = STORES[rng.weighted(STORE_SHARES)];
  return {
    family: FAMILY_NAMES[rng.weighted(FAMILY_WEIGHTS)],
    given: gender === WOMEN ? FEMALE_GIVEN_NAMES[rng.weighted(FEMALE_WEIGHTS)] : MALE_GIVEN_NAMES[rng.weighted(MALE_WEIGHTS)],
    gender,
    birthYear: anchorYear - Math.min(75, Math.max(18, Math.round(36 + rng.normal() * 11))),
    apparelSize: rng.weighted(APPAREL_SIZE_WEIGHTS[gender]),
    shoeSize: Math.min(28, Math.max(22.5, Math.round(shoe * 2) / 2)),
    colours: favourites,
    categoryTaste: new Float64Array(CATEGORIES.length).map(() => Math.exp(rng.normal() * 0.6)),
    tagTaste,
    home,
    pickupStore: PICKUP_STORE[STORES.indexOf(home)],
    storeShare: Math.min(0.9, Math.max(0.1, 0.3 + rng.normal() * 0.2)),
    pickupRate: rng.chance(0.35) ? 0.5 : 0.03,
    // Log-normal: most customers buy a handful of times, a few dozens of times.
    activity: Math.min(10, Math.exp(rng.normal())),
  };
}

/** Issues identity values, each unique across all customers. */
class IdentityMaker {
  private readonly used = new Set<string>();

  constructor(
    private readonly rng: Random,
    private readonly tl: Timeline,
  ) {}

  /** A customer record with a store membership from `storeSince` and/or an online account from `onlineSince`. */
  open(persona: Persona, storeSince: number, onlineSince: number, withPhone: boolean, activity: number): Account {
    const { rng, tl } = this;
    // Cards are issued at the till, so during opening hours.
    if (storeSince < Infinity) storeSince = Math.min(tl.last, jstMidnight(storeSince) + 10 * HOUR + rng.int(11 * 3600) * SECOND);
    const createdAt = Math.min(storeSince, onlineSince);
    const identities: DemoCustomer['identities'] = [];
    const add = (type: DemoIdentityType, value: string, verified: boolean, channel: DemoChannel | 'PARTNER', at: number) =>
      identities.push({ type, value, verified, channel, linkedAt: new Date(Math.min(at, tl.last)) });

    let appSince = Infinity;
    let registeredOn: DemoChannel = 'STORE';
    if (storeSince < Infinity) add('MEMBER_CARD', this.unique(() => `MC-${rng.digits(10)}`), true, 'STORE', storeSince);
    if (onlineSince < Infinity) {
      const hasApp = rng.chance(0.5);
      const appFirst = hasApp && rng.chance(0.35);
      const via: DemoChannel = appFirst ? 'APP' : 'EC';
      if (onlineSince <= storeSince) registeredOn = via;
      add('EC_ACCOUNT', this.unique(() => `ec-${rng.hex(12)}`), true, via, onlineSince);
      add('EMAIL', this.email(persona), rng.chance(0.88), via, onlineSince);
      if (hasApp) {
        appSince = appFirst ? onlineSince : Math.min(tl.last, wholeSecond(onlineSince + rng.exponential(200) * DAY));
        add('APP_INSTALL', this.unique(() => `app-${rng.hex(16)}`), true, 'APP', appSince);
        if (rng.chance(0.4)) add('DEVICE', this.unique(() => `dev-${rng.hex(16)}`), false, 'APP', appSince);
      }
      if (rng.chance(0.18)) {
        const at = wholeSecond(onlineSince + rng.float() * Math.max(0, tl.last - onlineSince));
        add('LINE_USER', this.unique(() => `U${rng.hex(32)}`), true, 'PARTNER', at);
      }
    }
    if (withPhone) {
      const inStore = storeSince <= onlineSince;
      add('PHONE', this.phone(), rng.chance(inStore ? 0.4 : 0.8), inStore ? 'STORE' : 'EC', createdAt);
    }
    identities.sort((a, b) => a.linkedAt.getTime() - b.linkedAt.getTime());

    const from = Math.max(createdAt, tl.opening);
    // Some customers stop shopping, which keeps the active base (and so volume) from only ever growing.
    const until = rng.chance(0.3) ? Math.min(tl.last, jstMidnight(from + rng.float() * (tl.last - from)) + DAY - SECOND) : tl.last;
    return {
      persona,
      customer: {
        id: rng.uuid(),
        displayName: `${persona.family[0]} ${persona.given[0]}`,
        displayNameKana: `${persona.family[1]} ${persona.given[1]}`,
        email: identities.find((x) => x.type === 'EMAIL')?.value ?? null,
        phone: identities.find((x) => x.type === 'PHONE')?.value ?? null,
        channel: registeredOn,
        createdAt: new Date(createdAt),
        identities,
      },
      storeSince,
      onlineSince,
      appSince,
      until,
      // Customers who joined recently (or lapsed early) have had less time to buy.
      weight: (persona.activity * activity * Math.max(0, until - from)) / (tl.last - tl.opening),
    };
  }

  private unique(make: () => string): string {
    return drawUnique(this.used, make);
  }

  private phone(): string {
    const rng = this.rng;
    return this.unique(() => `+81${rng.pick(['90', '90', '80', '80', '70'])}${rng.digits(8)}`);
  }

  private email(p: Persona): string {
    const rng = this.rng;
    const f = p.family[2];
    const g = p.given[2];
    const yy = String(p.birthYear % 100).padStart(2, '0');
    const word = () => rng.pick(HANDLE_WORDS);
    const handles = [
      () => `${g}.${f}`,
      () => `${f}.${g}`,
      () => `${g}${f}${yy}`,
      () => `${g}_${f}`,
      () => `${g[0]}.${f}`,
      () => `${g}${p.birthYear}`,
      () => `${f}${g[0]}${yy}`,
      () => `${word()}.${word()}${rng.range(1, 99)}`,
      () => `${g}.${word()}`,
    ];
    const domain = () => (rng.chance(0.55) ? 'example.jp' : 'example.com');
    for (let attempt = 0; attempt < 5; attempt++) {
      const value = `${rng.pick(handles)()}@${domain()}`;
      if (!this.used.has(value)) {
        this.used.add(value);
        return value;
      }
    }
    return this.unique(() => `${g}.${f}${rng.range(1, 9999)}@${domain()}`);
  }
}

/** Draws values until one is not in `used`, and records it there. */
function drawUnique(used: Set<string>, make: () => string): string {
  for (;;) {
    const value = make();
    if (!used.has(value)) {
      used.add(value);
      return value;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Orders

interface Pending {
  placedAt: number;
  channel: DemoChannel;
  customerId: string | null;
  location: number;
  fulfillmentType: DemoOrder['fulfillmentType'];
  lines: DemoOrderLine[];
}

/** What a customer bought so far: drives reorders of basics and returns to the same looks. */
interface History {
  bought: Set<number>;
  collections: number[];
  staples: Array<[style: number, variant: number]>;
}

/** Lines per order: 1 to 4, mostly 1-2. */
const LINE_COUNT_WEIGHTS = [55, 28, 12, 5];
/** How likely each colour of a style is picked, by position (the lead colour sells most). */
const COLOUR_POSITION_WEIGHTS = [1, 0.6, 0.45, 0.35, 0.3];
const COMPLEMENTS = CATEGORIES.map((c) => CATEGORIES.map((other) => c.complements[other.name] ?? 0));
const PREFIX: Readonly<Record<DemoChannel, string>> = { EC: 'EC', APP: 'AP', STORE: 'ST' };

function buildOrders(rng: Random, count: number, tl: Timeline, catalog: Catalog, accounts: Account[], locations: DemoLocation[]): DemoOrder[] {
  const basket = new BasketMaker(rng, tl, catalog);
  const pending: Pending[] = [];
  const anonymous = Math.round(count * 0.4 * 0.03);

  // Heavy-tailed split of orders over customers, proportional to activity.
  const running = new Float64Array(accounts.length);
  let sum = 0;
  accounts.forEach((a, i) => (running[i] = sum += a.weight));
  const perAccount = new Int32Array(accounts.length);
  for (let i = 0; i < count - anonymous; i++) perAccount[searchCumulative(running, rng.float() * sum, 0, accounts.length)]++;

  accounts.forEach((account, i) => {
    const p = account.persona;
    const lo = Math.max(account.customer.createdAt.getTime(), tl.opening);
    const own: Pending[] = [];
    for (let n = 0; n < perAccount[i]; n++) {
      const t = sampleInstant(rng, tl, lo, account.until);
      const inStore = account.storeSince <= t;
      const online = account.onlineSince <= t;
      const channel: DemoChannel =
        inStore && (!online || rng.chance(p.storeShare)) ? 'STORE' : account.appSince <= t && rng.chance(0.75) ? 'APP' : 'EC';
      const since = channel === 'STORE' ? account.storeSince : channel === 'APP' ? account.appSince : account.onlineSince;
      const placedAt = atTypicalHour(rng, t, channel === 'STORE', Math.max(lo, since), account.until);
      let location = -1;
      let fulfillmentType: DemoOrder['fulfillmentType'] = 'SHIP';
      if (channel === 'STORE') {
        fulfillmentType = 'CARRY_OUT';
        location = rng.chance(0.85) ? p.home : STORES[rng.weighted(STORE_SHARES)];
      } else if (rng.chance(p.pickupRate)) {
        fulfillmentType = 'PICKUP_IN_STORE';
        location = p.pickupStore;
      }
      own.push({ placedAt, channel, customerId: account.customer.id, location, fulfillmentType, lines: [] });
    }
    // Baskets in time order, as each one depends on what was bought before.
    const history: History = { bought: new Set(), collections: [], staples: [] };
    for (const order of own.sort((a, b) => a.placedAt - b.placedAt)) {
      order.lines = basket.make(order.placedAt, order.channel !== 'STORE', p, history);
      pending.push(order);
    }
  });

  for (let i = 0; i < anonymous; i++) {
    const placedAt = atTypicalHour(rng, sampleInstant(rng, tl, tl.opening, tl.last), true, tl.opening, tl.last);
    const location = STORES[rng.weighted(STORE_SHARES)];
    pending.push({ placedAt, channel: 'STORE', customerId: null, location, fulfillmentType: 'CARRY_OUT', lines: basket.make(placedAt, false, null, null) });
  }

  // Numbers follow time: a running sequence per channel and JST year, and per store and day for POS receipts.
  pending.sort((a, b) => a.placedAt - b.placedAt);
  const sequences = new Map<string, number>();
  const next = (key: string) => {
    const n = (sequences.get(key) ?? 0) + 1;
    sequences.set(key, n);
    return n;
  };
  return pending.map((o): DemoOrder => {
    const date = new Date(o.placedAt + JST).toISOString();
    const year = date.slice(0, 4);
    const store = o.location >= 0 ? locations[o.location] : null;
    let externalId: string | null = null;
    if (o.channel === 'STORE') {
      const receipts = `POS-${store?.code}-${year}${date.slice(5, 7)}${date.slice(8, 10)}`;
      externalId = `${receipts}-${String(next(receipts)).padStart(6, '0')}`;
    }
    return {
      id: rng.uuid(),
      number: `${PREFIX[o.channel]}-${year}-${String(next(`${o.channel}${year}`)).padStart(7, '0')}`,
      channel: o.channel,
      customerId: o.customerId,
      locationId: store?.id ?? null,
      placedAt: new Date(o.placedAt),
      externalId,
      fulfillmentType: o.fulfillmentType,
      lines: o.lines,
    };
  });
}

/** Fills baskets: reorders, returns to known looks, taste-led browsing and complementary add-ons. */
class BasketMaker {
  private readonly demand: Demand;
  readonly styles: Style[];
  private readonly collections: Collection[];

  constructor(
    private readonly rng: Random,
    private readonly tl: Timeline,
    catalog: Catalog,
  ) {
    this.styles = catalog.styles;
    this.collections = catalog.collections;
    this.demand = buildDemand(catalog.styles, tl);
  }

  make(t: number, online: boolean, persona: Persona | null, history: History | null): DemoOrderLine[] {
    const rng = this.rng;
    const gender = persona ? persona.gender : rng.int(2);
    const table = this.tableAt(t, gender, online);
    const month = monthAt(this.tl, t);
    const taste = persona?.categoryTaste ?? null;
    const chosen: number[] = [];
    const lines: DemoOrderLine[] = [];
    const add = (style: number, variant: number) => {
      const s = this.styles[style];
      const v = variant >= 0 ? variant : this.variantFor(s, persona, gender);
      chosen.push(style);
      lines.push({
        variantId: s.product.variants[v].id,
        productId: s.product.id,
        quantity: rng.weighted(s.spec.quantity) + 1,
        unitPrice: this.priceAt(s, t, month),
      });
      if (history) {
        history.bought.add(style);
        if (s.season !== 'CORE') remember(history.collections, s.collection, 6);
        else if (s.spec.replenished && !history.staples.some(([x]) => x === style)) remember(history.staples, [style, v], 6);
      }
    };

    let first = -1;
    let variant = -1;
    if (history && history.staples.length > 0 && rng.chance(0.25)) {
      const [style, v] = rng.pick(history.staples);
      first = style;
      if (rng.chance(0.8)) variant = v;
    }
    if (first < 0 && history && history.collections.length > 0 && rng.chance(0.2)) {
      first = this.fromCollection(rng.pick(history.collections), table, -1, chosen, history);
    }
    if (first < 0 && persona && rng.chance(0.3)) first = this.fromTaste(persona, t, table, chosen);
    if (first < 0) first = this.fromCategories(table, month, gender, taste, -1);
    add(first, variant);

    for (let n = rng.weighted(LINE_COUNT_WEIGHTS); n > 0; n--) {
      const previous = this.styles[chosen[chosen.length - 1]];
      const r = rng.float();
      let next =
        r < 0.45
          ? this.fromCollection(previous.collection, table, previous.category, chosen, null)
          : this.fromCategories(table, month, gender, taste, r < 0.75 ? previous.category : -1);
      if (next < 0 || chosen.includes(next)) next = this.fromCategories(table, month, gender, taste, -1);
      if (chosen.includes(next)) break;
      add(next, -1);
    }
    return lines;
  }

  /** A style someone looks at online at `t`: often one of the look just viewed (`previous`, -1 if none), else a taste-led pick as in `make`. */
  browse(t: number, persona: Persona | null, gender: number, previous: number): number {
    const table = this.tableAt(t, gender, true);
    let style = -1;
    if (previous >= 0 && this.rng.chance(0.5)) style = this.fromCollection(this.styles[previous].collection, table, -1, [previous], null);
    else if (persona && this.rng.chance(0.3)) style = this.fromTaste(persona, t, table, []);
    return style >= 0 ? style : this.fromCategories(table, monthAt(this.tl, t), gender, persona?.categoryTaste ?? null, -1);
  }

  private tableAt(t: number, gender: number, online: boolean): number {
    return demandTable(Math.min(this.demand.buckets - 1, Math.floor((t - this.tl.opening) / BUCKET)), gender, online);
  }

  /** A category by demand (or by fit with `after`), season and taste, then a style within it by popularity. */
  private fromCategories(table: number, month: number, gender: number, taste: Float64Array | null, after: number): number {
    const d = this.demand;
    const k = CATEGORIES.length;
    const weights = CATEGORIES.map((c, i) => {
      const available = d.totals[table * k + i];
      if (available <= 0) return 0;
      const fit = after < 0 ? c.demand : COMPLEMENTS[after][i];
      return fit * c.monthly[month] * (taste ? taste[i] : 1) * (gender === MEN && c.womenOnly ? 0.03 : 1);
    });
    let category = this.rng.weighted(weights);
    if (category < 0) category = this.rng.weighted(CATEGORIES.map((_, i) => d.totals[table * k + i]));
    const offset = table * this.styles.length;
    const r = this.rng.float() * d.totals[table * k + category];
    const at = searchCumulative(d.cumulative, r, offset + d.categoryStart[category], offset + d.categoryStart[category + 1]);
    return d.styleAt[at - offset];
  }

  /** A style from one collection, favouring what complements `after` and what the customer does not own yet; -1 if none is on sale. */
  private fromCollection(collection: number, table: number, after: number, chosen: number[], history: History | null): number {
    const members = this.collections[collection].styles;
    const weights = members.map((s) => {
      if (chosen.includes(s)) return 0;
      const fit = after < 0 ? 1 : COMPLEMENTS[after][this.styles[s].category] + 0.15;
      return this.weightOf(table, s) * fit * (history?.bought.has(s) ? 0.25 : 1);
    });
    const i = this.rng.weighted(weights);
    return i < 0 ? -1 : members[i];
  }

  /** A recent collection in a style the customer likes, then a style from it. */
  private fromTaste(persona: Persona, t: number, table: number, chosen: number[]): number {
    const weights: number[] = [];
    for (const c of this.collections) {
      if (c.launch > t) break;
      const recency = c.season === 'CORE' ? 0.35 : Math.exp(-(t - c.launch) / (90 * DAY)) + 0.03;
      weights.push(persona.tagTaste[c.tag] * recency);
    }
    const c = this.rng.weighted(weights);
    return c < 0 ? -1 : this.fromCollection(c, table, -1, chosen, null);
  }

  private weightOf(table: number, style: number): number {
    const d = this.demand;
    const at = table * this.styles.length + d.position[style];
    const start = d.categoryStart[this.styles[style].category];
    return d.cumulative[at] - (d.position[style] > start ? d.cumulative[at - 1] : 0);
  }

  /** The customer's own size and (mostly) a favourite colour; strangers follow the population. */
  variantFor(s: Style, persona: Persona | null, gender: number): number {
    const rng = this.rng;
    let colour = -1;
    for (const fav of persona?.colours ?? []) {
      const at = s.colours.indexOf(fav);
      if (at >= 0 && rng.chance(0.75)) {
        colour = at;
        break;
      }
    }
    if (colour < 0) colour = rng.weighted(COLOUR_POSITION_WEIGHTS.slice(0, s.colours.length));

    let size = 0;
    switch (s.spec.sizeRun) {
      case 'APPAREL': {
        const habit = persona ? persona.apparelSize : rng.weighted(APPAREL_SIZE_WEIGHTS[gender]);
        const r = rng.float();
        // Now and then a size up (a roomy coat) or down.
        size = Math.min(APPAREL_SIZES.length - 1, Math.max(0, habit + (r < 0.85 ? 0 : r < 0.95 ? 1 : -1)));
        break;
      }
      case 'SHOES': {
        const habit = persona ? persona.shoeSize : gender === WOMEN ? 23.5 + rng.int(5) * 0.5 : 25.5 + rng.int(6) * 0.5;
        const wanted = habit + (rng.chance(0.9) ? 0 : rng.chance(0.5) ? 0.5 : -0.5);
        size = Math.min(s.sizes.length - 1, Math.max(0, Math.round((wanted - Number(s.sizes[0])) * 2)));
        break;
      }
      case 'SOCKS':
        size = (persona ? persona.shoeSize >= 25 : gender === MEN) !== rng.chance(0.1) ? 1 : 0;
        break;
      case 'FREE':
        break;
    }
    return colour * s.sizes.length + size;
  }

  /** List price, or a markdown of 10-30% on some seasonal styles during the January and July sales. */
  private priceAt(s: Style, t: number, month: number): number {
    const price = s.product.price;
    if (s.season === 'CORE' || !SALE_MONTHS.includes(month) || t - s.release < 45 * DAY) return price;
    // Hashed, not drawn, so one style has one markdown for the whole sale.
    const h = hash32(s.index, new Date(t + JST).getUTCFullYear() * 12 + month);
    if (h % 100 >= 65) return price;
    const rate = [10, 20, 30][(h >>> 8) % 3];
    const marked = Math.floor((price * (100 - rate)) / 10000) * 100 + 90;
    return marked < price ? marked : price;
  }
}

/** Keeps the `limit` most recent distinct entries, newest last. */
function remember<T>(list: T[], item: T, limit: number): void {
  const at = list.indexOf(item);
  if (at >= 0) list.splice(at, 1);
  list.push(item);
  if (list.length > limit) list.shift();
}

// ---------------------------------------------------------------------------------------------------------------
// Touchpoints: browsing on the EC site and in the app

/** Who is browsing: a customer, a device whose owner the model knows (for taste and size) but the retailer not yet, or a stranger's device. */
interface Visitor {
  customerId: string | null;
  device: string | null;
  persona: Persona | null;
  gender: number;
  /** Sessions are in the app from then on, each with probability `appShare`; the rest on the EC site. */
  appSince: number;
  appShare: number;
}

interface PendingTouchpoint {
  at: number;
  visitor: Visitor;
  type: DemoTouchpointType;
  channel: 'EC' | 'APP';
  style: Style | null;
  variantId: string | null;
  query: string | null;
}

/** What Japanese shoppers type for each category. */
const CATEGORY_QUERY: Readonly<Record<CategoryName, string>> = {
  'T-shirts': 'Tシャツ', Shirts: 'シャツ', Knitwear: 'ニット', Outerwear: 'アウター', Trousers: 'パンツ', Skirts: 'スカート',
  Dresses: 'ワンピース', Shoes: 'シューズ', Bags: 'バッグ', Accessories: '小物', Socks: '靴下', Innerwear: 'インナー',
};

function buildTouchpoints(rng: Random, tl: Timeline, catalog: Catalog, accounts: Account[], orders: DemoOrder[]): DemoTouchpoint[] {
  const sessions = new SessionMaker(rng, new BasketMaker(rng, tl, catalog));
  const styleOf = new Map(catalog.styles.map((s) => [s.product.id, s]));
  const ordersOf = new Map<string, DemoOrder[]>();
  for (const o of orders) {
    if (!o.customerId) continue;
    const own = ordersOf.get(o.customerId);
    if (own) own.push(o);
    else ordersOf.set(o.customerId, [o]);
  }
  const deviceIds = new Set<string>();

  for (const account of accounts) {
    const { persona, customer } = account;
    const online = account.onlineSince < Infinity;
    // `activity` is the person's engagement: it already sets how often they buy, in store too, and here how much
    // they browse, so the store members who browse online are the ones who also spend more in store.
    const browses = online || rng.chance(persona.activity / (persona.activity + 2));
    const from = Math.max(tl.opening, online ? account.onlineSince : account.storeSince);
    if (browses && from < account.until) {
      const me: Visitor = { customerId: customer.id, device: null, persona, gender: persona.gender, appSince: account.appSince, appShare: 0.7 };
      const expected = (0.6 * persona.activity * Math.exp(rng.normal() * 0.5) * (account.until - from)) / YEAR;
      for (let n = Math.floor(expected + rng.float()); n > 0; n--) {
        sessions.visit(me, atTypicalHour(rng, sampleInstant(rng, tl, from, account.until), false, from, account.until), account.until);
      }
      for (const order of ordersOf.get(customer.id) ?? []) sessions.beforeOrder(me, order, from, styleOf);
    }

    // Many app users browse as guests before signing in; linking the device then joins that history to them.
    const device = customer.identities.find((i) => i.type === 'DEVICE');
    if (!device) continue;
    deviceIds.add(device.value);
    const hi = device.linkedAt.getTime() - SECOND;
    const lo = Math.max(tl.opening, hi - 60 * DAY);
    if (lo > hi || !rng.chance(0.6)) continue;
    const guest: Visitor = { customerId: null, device: device.value, persona, gender: persona.gender, appSince: -Infinity, appShare: 1 };
    for (let n = rng.range(1, 4); n > 0; n--) sessions.visit(guest, atTypicalHour(rng, sampleInstant(rng, tl, lo, hi), false, lo, hi), hi);
  }

  // Visitors who never sign up: a device browses for a few weeks, then is gone (cleared cookies, a new phone).
  for (let i = Math.round(accounts.length * 0.12); i > 0; i--) {
    const device = drawUnique(deviceIds, () => `dev-${rng.hex(16)}`);
    const stranger: Visitor = { customerId: null, device, persona: null, gender: rng.int(2), appSince: rng.chance(0.4) ? -Infinity : Infinity, appShare: 1 };
    const lo = sampleInstant(rng, tl, tl.opening, tl.last);
    const hi = Math.min(tl.last, wholeSecond(lo + rng.exponential(30) * DAY));
    for (let n = 1 + Math.floor(rng.exponential(1.5)); n > 0; n--) sessions.visit(stranger, atTypicalHour(rng, sampleInstant(rng, tl, lo, hi), false, lo, hi), tl.last);
  }
  return sessions.emit();
}

/** Writes sessions of touchpoints; products come from the same demand and taste model as the orders. */
class SessionMaker {
  private readonly pending: PendingTouchpoint[] = [];

  constructor(
    private readonly rng: Random,
    private readonly basket: BasketMaker,
  ) {}

  /** One visit from `t` (and not past `hi`): the app opening or a landing page, maybe a search, then a few product pages, now and then one into the cart. */
  visit(v: Visitor, t: number, hi: number): void {
    const rng = this.rng;
    const channel = this.channelAt(v, t);
    let at = t;
    const next = () => (at = wholeSecond(at + (5 + rng.exponential(45)) * SECOND)) <= hi;
    this.push(v, at, channel === 'APP' ? 'APP_OPEN' : 'PAGE_VIEW', channel, null, null, null);
    let style = this.basket.browse(at, v.persona, v.gender, -1);
    // The search is for what they then look at, so it names a category or brand they like.
    if (rng.chance(0.3) && next()) this.push(v, at, 'SEARCH', channel, null, null, this.query(this.basket.styles[style]));
    for (let n = 1 + Math.floor(rng.exponential(1.5)); n > 0 && next(); n--) {
      const s = this.basket.styles[style];
      this.push(v, at, 'PRODUCT_VIEW', channel, s, null, null);
      if (rng.chance(0.06) && next()) this.push(v, at, 'ADD_TO_CART', channel, s, s.product.variants[this.basket.variantFor(s, v.persona, v.gender)].id, null);
      style = this.basket.browse(at, v.persona, v.gender, style);
    }
  }

  /** What an order leaves behind: product pages in the days before (online, or before a store visit) and, online, the cart minutes before. */
  beforeOrder(v: Visitor, order: DemoOrder, from: number, styleOf: ReadonlyMap<string, Style>): void {
    const rng = this.rng;
    const placedAt = order.placedAt.getTime();
    const online = order.channel !== 'STORE';
    const looked = styleOf.get(rng.pick(order.lines).productId)!;
    if (looked.product.soldOnline && rng.chance(online ? 0.35 : 0.15)) {
      const lo = Math.max(from, looked.release);
      for (let n = rng.range(1, 2); n > 0; n--) {
        const day = placedAt - SECOND - rng.exponential(3 * DAY);
        if (day < lo) continue;
        const at = atTypicalHour(rng, day, false, lo, placedAt - SECOND);
        this.push(v, at, 'PRODUCT_VIEW', this.channelAt(v, at), looked, null, null);
      }
    }
    if (!online || !rng.chance(0.35)) return;
    let at = placedAt;
    for (const line of order.lines) {
      const s = styleOf.get(line.productId)!;
      at = wholeSecond(at - (30 + rng.exponential(240)) * SECOND);
      if (at < Math.max(from, s.release, order.channel === 'APP' ? v.appSince : -Infinity)) break;
      this.push(v, at, 'ADD_TO_CART', order.channel as 'EC' | 'APP', s, line.variantId, null);
    }
  }

  /** Sorted by time (stably, so a session keeps its order) and given their ids. */
  emit(): DemoTouchpoint[] {
    const eventIds = new Set<string>();
    return this.pending
      .sort((a, b) => a.at - b.at)
      .map((p) => ({
        eventId: drawUnique(eventIds, () => `ev-${this.rng.hex(16)}`),
        customerId: p.visitor.customerId,
        identity: p.visitor.device === null ? null : { type: 'DEVICE', value: p.visitor.device },
        type: p.type,
        channel: p.channel,
        occurredAt: new Date(p.at),
        productId: p.style?.product.id ?? null,
        variantId: p.variantId,
        query: p.query,
      }));
  }

  private channelAt(v: Visitor, t: number): 'EC' | 'APP' {
    return v.appSince <= t && this.rng.chance(v.appShare) ? 'APP' : 'EC';
  }

  private query(s: Style): string {
    const r = this.rng.float();
    const category = CATEGORY_QUERY[s.spec.name];
    if (r < 0.5) return category;
    if (r < 0.75) return s.spec.nouns.find((noun) => s.product.name.endsWith(noun))!.toLowerCase();
    return r < 0.9 ? s.product.brand : `${s.product.brand} ${category}`;
  }

  private push(visitor: Visitor, at: number, type: DemoTouchpointType, channel: 'EC' | 'APP', style: Style | null, variantId: string | null, query: string | null): void {
    this.pending.push({ at, visitor, type, channel, style, variantId, query });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Stock

const APPAREL_DEPTH = [0.45, 0.85, 1.3, 1.2, 0.6];

function buildStock(rng: Random, styles: Style[], tl: Timeline, locations: DemoLocation[]): DemoStock[] {
  const top = Math.max(...styles.map((s) => s.popularity));
  return LOCATIONS.map((spec, li) => {
    const warehouse = li === WAREHOUSE;
    const lines: DemoStock['lines'] = [];
    for (const s of styles) {
      const demand = Math.sqrt(s.popularity / top) * stockLife(s, tl.anchor);
      s.product.variants.forEach((v, vi) => {
        const colour = Math.floor(vi / s.sizes.length);
        const depth = sizeDepth(s, vi % s.sizes.length) * (colour === 0 ? 1.25 : 0.85);
        let quantity = 0;
        if (warehouse) {
          // The EC warehouse holds only what is sold online, in depth.
          if (s.product.soldOnline && !rng.chance(0.05)) quantity = Math.round((6 + 90 * demand) * depth * (0.5 + rng.float()));
        } else if (!rng.chance(0.1)) {
          quantity = Math.round((2 + 10 * demand) * (0.5 + 0.5 * spec.customerShare) * depth * (0.4 + rng.float()));
        }
        lines.push({ variantId: v.id, productId: s.product.id, quantity });
      });
    }
    return { locationId: locations[li].id, lines };
  });
}

/** Stock left of a style at the anchor: new arrivals deep, last year's seasonal styles mostly sold through. */
function stockLife(s: Style, now: number): number {
  if (s.season === 'CORE') return 1;
  const age = (now - s.release) / DAY;
  return age < 30 ? 1.6 : age < 180 ? 1 : age < 365 ? 0.35 : 0.12;
}

function sizeDepth(s: Style, size: number): number {
  switch (s.spec.sizeRun) {
    case 'APPAREL':
      return APPAREL_DEPTH[size];
    case 'SHOES': {
      const centre = s.gender === WOMEN ? 24 : s.gender === MEN ? 26.5 : 25.5;
      return Math.max(0.3, 1.3 - 0.3 * Math.abs(Number(s.sizes[size]) - centre));
    }
    case 'SOCKS':
      return 1;
    case 'FREE':
      return 1.5;
  }
}
