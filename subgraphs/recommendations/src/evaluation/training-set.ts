/**
 * The split for offline evaluation: rows before the cutoff train, rows from it on are the truth.
 * Storage is sparse (per customer the items they bought, per item its buyers), never a dense
 * customer × item matrix, so a file of millions of rows fits. An order is a customer's lines at one
 * moment (the CSV has no order number): the baskets of next-basket recommendation.
 */
import { RECENT_PURCHASED_STYLES } from '../ranking/ranking-input';
import { LINES_PER_CUSTOMER, type Holding, type HistoryLine } from '../ranking/purchase-history';
import type { OrderRow } from './order-csv';

const DAY_MS = 86_400_000;

/** A growable column of numbers, so a million rows cost a few typed arrays rather than a million objects. */
class Column<T extends Int32Array | Float64Array> {
  length = 0;
  constructor(public values: T) {}

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new (this.values.constructor as { new (n: number): T })(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
}

export interface Occasion {
  item: number;
  at: number;
  quantity: number;
}

/** One order of a customer: the distinct items bought at one moment. */
export interface Basket {
  at: number;
  items: number[];
}

export interface TestCustomer {
  customer: number;
  /** Distinct items bought at or after the cutoff, including ones bought before. */
  truth: Set<string>;
}

export class OrderSplit {
  private readonly customerIndex = new Map<string, number>();
  private readonly customerIds: string[] = [];
  private readonly itemIndex = new Map<string, number>();
  private readonly itemIds: string[] = [];
  private readonly categories = new Map<number, string>();
  private readonly customer = new Column(new Int32Array(1024));
  private readonly item = new Column(new Int32Array(1024));
  private readonly at = new Column(new Float64Array(1024));
  private readonly quantity = new Column(new Float64Array(1024));
  private readonly after = new Map<string, Set<string>>();
  /** The latest moment of the truth: how long a period it covers. */
  lastAt = -Infinity;

  constructor(private readonly cutoff: number) {}

  add(row: OrderRow): void {
    if (row.at >= this.cutoff) {
      const truth = this.after.get(row.customerId) ?? new Set<string>();
      truth.add(row.itemId);
      this.after.set(row.customerId, truth);
      this.lastAt = Math.max(this.lastAt, row.at);
      return;
    }
    this.customer.push(intern(this.customerIndex, this.customerIds, row.customerId));
    const item = intern(this.itemIndex, this.itemIds, row.itemId);
    this.item.push(item);
    this.at.push(row.at);
    this.quantity.push(row.quantity);
    if (row.category && !this.categories.has(item)) this.categories.set(item, row.category);
  }

  finish(): TrainingSet {
    const rows = { customer: this.customer.values, item: this.item.values, at: this.at.values, quantity: this.quantity.values };
    const tests: TestCustomer[] = [];
    for (const [customerId, truth] of this.after) {
      const customer = this.customerIndex.get(customerId);
      if (customer !== undefined) tests.push({ customer, truth });
    }
    tests.sort((a, b) => a.customer - b.customer);
    const categories = this.itemIds.map((_, i) => this.categories.get(i) ?? null);
    return new TrainingSet(this.cutoff, this.customerIds, this.itemIds, this.itemIndex, categories, rows, this.customer.length, tests);
  }
}

function intern(index: Map<string, number>, ids: string[], id: string): number {
  let i = index.get(id);
  if (i === undefined) {
    i = ids.length;
    index.set(id, i);
    ids.push(id);
  }
  return i;
}

export class TrainingSet {
  /** Row indices grouped by customer, each group sorted by item then time. */
  private readonly order: Int32Array;
  private readonly rowStart: Int32Array;
  /** Distinct items per customer (compressed sparse rows). */
  private readonly itemStart: Int32Array;
  private readonly customerItems: Int32Array;
  /**
   * What pairs are counted from, as the service counts them: each customer's RECENT_PURCHASED_STYLES
   * items bought last, and per item the customers who have it among theirs.
   */
  private readonly pairedStart: Int32Array;
  private readonly pairedItems: Int32Array;
  private readonly buyerStart: Int32Array;
  private readonly itemBuyers: Int32Array;
  /** Distinct buyers of each item, and how many of them bought it in two orders or more. */
  readonly buyers: Int32Array;
  readonly repeatBuyers: Int32Array;
  private popularityOrder: number[] | null = null;
  private readonly coBuyers: Int32Array;

  constructor(
    readonly cutoff: number,
    readonly customerIds: readonly string[],
    readonly itemIds: readonly string[],
    private readonly itemIndex: ReadonlyMap<string, number>,
    /** Per item, the category the file gives it (null without a `category` column). */
    readonly categories: ReadonlyArray<string | null>,
    private readonly rows: { customer: Int32Array; item: Int32Array; at: Float64Array; quantity: Float64Array },
    readonly rowCount: number,
    readonly testCustomers: readonly TestCustomer[],
  ) {
    const customers = customerIds.length;
    const items = itemIds.length;
    // Counting sort by customer: linear, whatever the file's order.
    this.rowStart = new Int32Array(customers + 1);
    for (let r = 0; r < rowCount; r++) this.rowStart[rows.customer[r] + 1]++;
    for (let c = 0; c < customers; c++) this.rowStart[c + 1] += this.rowStart[c];
    this.order = new Int32Array(rowCount);
    const fill = this.rowStart.slice(0, customers);
    for (let r = 0; r < rowCount; r++) this.order[fill[rows.customer[r]]++] = r;

    this.buyers = new Int32Array(items);
    this.repeatBuyers = new Int32Array(items);
    this.itemStart = new Int32Array(customers + 1);
    this.pairedStart = new Int32Array(customers + 1);
    const customerItems: number[] = [];
    const pairedItems: number[] = [];
    const pairedBuyers = new Int32Array(items);
    for (let c = 0; c < customers; c++) {
      const group = this.order.subarray(this.rowStart[c], this.rowStart[c + 1]);
      group.sort((a, b) => rows.item[a] - rows.item[b] || rows.at[a] - rows.at[b] || a - b);
      const lastBought: Array<{ item: number; at: number }> = [];
      for (let g = 0; g < group.length; ) {
        const item = rows.item[group[g]];
        let orders = 0;
        let lastAt = NaN;
        for (; g < group.length && rows.item[group[g]] === item; g++) {
          if (rows.at[group[g]] !== lastAt) (orders++, (lastAt = rows.at[group[g]]));
        }
        customerItems.push(item);
        lastBought.push({ item, at: lastAt });
        this.buyers[item]++;
        if (orders >= 2) this.repeatBuyers[item]++;
      }
      this.itemStart[c + 1] = customerItems.length;
      lastBought.sort((a, b) => b.at - a.at || (itemIds[a.item] < itemIds[b.item] ? -1 : 1));
      for (const { item } of lastBought.slice(0, RECENT_PURCHASED_STYLES)) pairedItems.push(item), pairedBuyers[item]++;
      this.pairedStart[c + 1] = pairedItems.length;
    }
    this.customerItems = Int32Array.from(customerItems);
    this.pairedItems = Int32Array.from(pairedItems);

    this.buyerStart = new Int32Array(items + 1);
    for (let i = 0; i < items; i++) this.buyerStart[i + 1] = this.buyerStart[i] + pairedBuyers[i];
    this.itemBuyers = new Int32Array(this.pairedItems.length);
    const next = this.buyerStart.slice(0, items);
    for (let c = 0; c < customers; c++) {
      for (const item of this.pairedOf(c)) this.itemBuyers[next[item]++] = c;
    }
    this.coBuyers = new Int32Array(items);
  }

  indexOf(itemId: string): number | undefined {
    return this.itemIndex.get(itemId);
  }

  /** The distinct items a customer bought in training, by index. */
  itemsOf(customer: number): Int32Array {
    return this.customerItems.subarray(this.itemStart[customer], this.itemStart[customer + 1]);
  }

  private pairedOf(customer: number): Int32Array {
    return this.pairedItems.subarray(this.pairedStart[customer], this.pairedStart[customer + 1]);
  }

  /** A customer's purchase occasions: one per item and order, quantities of split lines summed. */
  occasionsOf(customer: number): Occasion[] {
    const { item, at, quantity } = this.rows;
    const occasions: Occasion[] = [];
    for (const r of this.order.subarray(this.rowStart[customer], this.rowStart[customer + 1])) {
      const last = occasions[occasions.length - 1];
      if (last && last.item === item[r] && last.at === at[r]) last.quantity += quantity[r];
      else occasions.push({ item: item[r], at: at[r], quantity: quantity[r] });
    }
    return occasions;
  }

  /** A customer's orders, oldest first, each with its distinct items. */
  basketsOf(customer: number): Basket[] {
    const byTime = new Map<number, number[]>();
    for (const o of this.occasionsOf(customer)) {
      const items = byTime.get(o.at);
      if (items) items.push(o.item);
      else byTime.set(o.at, [o.item]);
    }
    return [...byTime].sort((a, b) => a[0] - b[0]).map(([at, items]) => ({ at, items }));
  }

  /**
   * What the service reads of a customer's purchases (purchase-history.ts): the LINES_PER_CUSTOMER
   * most recent lines (the file's later row first within one moment), and one holding per item.
   */
  historyOf(customer: number): { lines: HistoryLine[]; holdings: Holding[] } {
    const { item, at, quantity } = this.rows;
    const group = [...this.order.subarray(this.rowStart[customer], this.rowStart[customer + 1])];
    const lines = group
      .sort((a, b) => at[b] - at[a] || b - a)
      .slice(0, LINES_PER_CUSTOMER)
      .map((r) => ({ productId: this.itemIds[item[r]], variantId: null, orderId: String(at[r]), at: new Date(at[r]), quantity: quantity[r] }));
    const held = new Map<number, { units: number; orders: Set<number>; first: number; last: number }>();
    for (const r of group) {
      const h = held.get(item[r]) ?? { units: 0, orders: new Set<number>(), first: at[r], last: at[r] };
      h.units += quantity[r];
      h.orders.add(at[r]);
      h.first = Math.min(h.first, at[r]);
      h.last = Math.max(h.last, at[r]);
      held.set(item[r], h);
    }
    const holdings = [...held].map(([i, h]) => ({
      productId: this.itemIds[i],
      units: h.units,
      orders: h.orders.size,
      firstAt: new Date(h.first),
      lastAt: new Date(h.last),
    }));
    return { lines, holdings };
  }

  /** Per item, its rows (order lines) each decayed by its age at the cutoff: what sells now. */
  trend(halfLifeDays: number): Float64Array {
    const trend = new Float64Array(this.itemIds.length);
    for (let r = 0; r < this.rowCount; r++) trend[this.rows.item[r]] += Math.pow(2, -(this.cutoff - this.rows.at[r]) / (halfLifeDays * DAY_MS));
    return trend;
  }

  /** Items by distinct buyers, most first; ties by id, so the order does not depend on the file's. */
  popularity(): readonly number[] {
    this.popularityOrder ??= [...this.itemIds.keys()].sort(
      (a, b) => this.buyers[b] - this.buyers[a] || (this.itemIds[a] < this.itemIds[b] ? -1 : 1),
    );
    return this.popularityOrder;
  }

  /**
   * Items bought by the source's buyers, with how many of them bought both (co-buyers), counted among
   * each customer's most recent items as the service counts them.
   */
  coPurchases(source: number): Array<{ item: number; weight: number }> {
    const touched: number[] = [];
    for (const c of this.itemBuyers.subarray(this.buyerStart[source], this.buyerStart[source + 1])) {
      for (const item of this.pairedOf(c)) {
        if (item === source) continue;
        if (this.coBuyers[item]++ === 0) touched.push(item);
      }
    }
    const result = touched.map((item) => ({ item, weight: this.coBuyers[item] }));
    for (const item of touched) this.coBuyers[item] = 0;
    return result;
  }

  /**
   * The same customers and items split earlier: rows before `cutoff` train, rows from it to this
   * set's cutoff are the truth. A validation split inside the training period, for choosing
   * parameters without looking at the test period.
   */
  before(cutoff: number): { train: TrainingSet; lastAt: number } {
    const split = new OrderSplit(cutoff);
    for (let r = 0; r < this.rowCount; r++) {
      const item = this.rows.item[r];
      split.add({
        customerId: this.customerIds[this.rows.customer[r]],
        itemId: this.itemIds[item],
        at: this.rows.at[r],
        quantity: this.rows.quantity[r],
        locationId: null,
        category: this.categories[item],
      });
    }
    return { train: split.finish(), lastAt: split.lastAt };
  }
}
