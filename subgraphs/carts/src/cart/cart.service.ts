import { randomBytes, randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import type { Database } from '../../../../shared/db/database';
import type { ChannelCode } from '../../../../shared/events/catalog';
import type { Channel } from '../../../../shared/graphql/channel';
import type { CustomerLinks } from '../../../../shared/events/customer-links';
import type { Outbox } from '../../../../shared/events/outbox';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { InventoryClient, VariantFacts } from '../clients/inventory.client';
import { CartLineRow, CartRow, CartStatus } from './cart.entity';
import { CartErrorCode } from './cart.errors';

/** Variants one cart may hold. */
export const MAX_CART_LINES = 50;

export interface LineRequest {
  variantId: string;
  quantity: number;
}

/** What a line in a change became, for `cart.changed`'s `added`. */
type Added = Array<{ variantId: string; productId: string; quantity: number }>;

/** 24 random bytes, base64url: 192 bits, the key that opens an anonymous cart. */
export function newCartId(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * Carts and their lines: one per anonymous shopper (opened by its id), one active per customer
 * (shared by the app and the web shop). Every change of a customer's cart writes `cart.changed` in
 * the same transaction. Quantities are checked against the catalog and stock when they are set;
 * prices and availability are read from the catalog when the cart is read (cart-pricing.ts).
 */
export class CartService {
  constructor(
    private readonly db: Database,
    private readonly outbox: Outbox,
    private readonly inventory: InventoryClient,
    private readonly customerLinks: CustomerLinks,
    private readonly maxLineQuantity: number,
  ) {}

  async byIds(ids: readonly string[]): Promise<CartRow[]> {
    return ids.length ? this.db.manager.getRepository(CartRow).findBy({ id: In([...ids]) }) : [];
  }

  async activeOfCustomers(customerIds: readonly string[]): Promise<CartRow[]> {
    return customerIds.length ? this.db.manager.getRepository(CartRow).findBy({ activeCustomerId: In([...customerIds]) }) : [];
  }

  async linesOf(cartIds: readonly string[]): Promise<CartLineRow[]> {
    if (!cartIds.length) return [];
    return this.db.manager.getRepository(CartLineRow).find({ where: { cartId: In([...cartIds]) }, order: { addedAt: 'ASC', id: 'ASC' } });
  }

  /** Every cart of these customers (merged ids included) with its lines: for a disclosure export. */
  async disclosureOf(customerId: string): Promise<Array<CartRow & { lines: CartLineRow[] }>> {
    // The ids merged into hers, and into those, and so on.
    const ids = [customerId];
    for (let next = [customerId]; next.length; ) {
      const rows: Array<{ merged_id: string }> = await this.db.manager.query(`SELECT merged_id FROM customer_merge WHERE survivor_id IN (${next.map(() => '?').join(', ')})`, next);
      next = rows.map((r) => r.merged_id).filter((id) => !ids.includes(id));
      ids.push(...next);
    }
    const carts = await this.db.manager.getRepository(CartRow).find({ where: { customerId: In(ids) }, order: { createdAt: 'ASC' } });
    const lines = await this.linesOf(carts.map((c) => c.id));
    return carts.map((cart) => ({ ...cart, lines: lines.filter((l) => l.cartId === cart.id) }));
  }

  /**
   * cartCreate: an anonymous shopper gets a new cart; a signed-in customer her one active cart
   * (created if she has none), with the lines added to it.
   */
  async create(principal: Principal, channel: ChannelCode, lines: LineRequest[]): Promise<CartRow> {
    if (principal.kind === 'CUSTOMER') {
      const cart = await this.activeCartOf(principal.customerId, channel);
      return lines.length ? this.addLines(principal, cart.id, lines, channel) : cart;
    }
    if (principal.kind !== 'ANONYMOUS') {
      throw new UserErrorException(CartErrorCode.NOT_YOUR_CART, 'carts are for shoppers: anonymous, or signed in as the customer', null);
    }
    const facts = lines.length ? await this.checkedFacts(lines, channel) : new Map<string, VariantFacts>();
    const cart = newCart(null, channel);
    await this.db.transaction(async (manager) => {
      await manager.getRepository(CartRow).insert(cart);
      await this.applyLines(manager, cart, [], lines, facts, 'add');
    });
    return cart;
  }

  /** The customer's active cart, created when she has none (concurrent creations end with one). */
  async activeCartOf(customerId: string, channel: ChannelCode): Promise<CartRow> {
    const root = (await this.customerLinks.rootsOf([customerId])).get(customerId)!;
    return this.db.transactionRetryingConflicts((manager) => this.activeCartIn(manager, root, channel));
  }

  /** The active cart of a customer (a root: not merged away) inside a transaction, created when she has none. */
  async activeCartIn(manager: EntityManager, customerId: string, channel: ChannelCode): Promise<CartRow> {
    const existing = await manager.getRepository(CartRow).findOneBy({ activeCustomerId: customerId });
    if (existing) return existing;
    const cart = newCart(customerId, channel);
    await manager.getRepository(CartRow).insert(cart);
    return cart;
  }

  /** cartLinesAdd: quantities of a variant already in the cart add up. */
  async addLines(principal: Principal, cartId: string, lines: LineRequest[], channel: ChannelCode | null): Promise<CartRow> {
    const open = await this.openForChange(principal, cartId);
    const facts = await this.checkedFacts(lines, channel ?? (open.lastChannel as ChannelCode));
    return this.change(principal, cartId, channel, (manager, cart, current) => this.applyLines(manager, cart, current, lines, facts, 'add'));
  }

  /** cartLinesUpdate: sets quantities; 0 removes the line. */
  async updateLines(principal: Principal, cartId: string, updates: Array<{ lineId: string; quantity: number }>): Promise<CartRow> {
    const open = await this.openForChange(principal, cartId);
    const current = await this.linesOf([open.id]);
    const requests: LineRequest[] = updates.map((u, i) => {
      const line = current.find((l) => l.id === u.lineId);
      if (!line) throw new UserErrorException(CartErrorCode.UNKNOWN_LINE, 'no such line in this cart', ['input', 'lines', String(i), 'lineId']);
      if (!Number.isInteger(u.quantity) || u.quantity < 0 || u.quantity > this.maxLineQuantity) {
        throw new UserErrorException(CartErrorCode.INVALID_QUANTITY, `a quantity is 0 (remove) to ${this.maxLineQuantity}`, ['input', 'lines', String(i), 'quantity']);
      }
      return { variantId: line.variantId, quantity: u.quantity };
    });
    const kept = requests.filter((r) => r.quantity > 0);
    const facts = kept.length ? await this.checkedFacts(kept, open.lastChannel as ChannelCode) : new Map<string, VariantFacts>();
    return this.change(principal, cartId, null, (manager, cart, lines) => this.applyLines(manager, cart, lines, requests, facts, 'set'));
  }

  /** cartLinesRemove. */
  async removeLines(principal: Principal, cartId: string, lineIds: string[]): Promise<CartRow> {
    return this.change(principal, cartId, null, async (manager, cart, lines) => {
      lineIds.forEach((id, i) => {
        if (!lines.some((l) => l.id === id)) throw new UserErrorException(CartErrorCode.UNKNOWN_LINE, 'no such line in this cart', ['input', 'lineIds', String(i)]);
      });
      await manager.getRepository(CartLineRow).delete({ cartId: cart.id, id: In(lineIds) });
      return [];
    });
  }

  /**
   * claimCart: a signed-in customer takes over an anonymous cart. Its lines merge into her active
   * cart, each quantity capped by the per-line limit and by the units available; the anonymous cart
   * is closed (CLAIMED, hers), so a retry returns her cart and nobody else can claim it.
   */
  async claim(principal: Principal, cartId: string): Promise<CartRow> {
    if (principal.kind !== 'CUSTOMER') throw new UserErrorException(CartErrorCode.NOT_CLAIMABLE, 'sign in as a customer to claim a cart', null);
    const root = (await this.customerLinks.rootsOf([principal.customerId])).get(principal.customerId)!;
    const [anonymous] = await this.byIds([cartId]);
    if (!anonymous) throw unknownCart();
    if (anonymous.status === CartStatus.CLAIMED && anonymous.customerId === root) return this.activeCartOf(root, anonymous.lastChannel as ChannelCode);
    if (anonymous.customerId === root && anonymous.status === CartStatus.ACTIVE) return anonymous;
    if (anonymous.customerId !== null) throw new UserErrorException(CartErrorCode.NOT_CLAIMABLE, 'only an anonymous cart can be claimed', ['input', 'cartId']);
    if (anonymous.status !== CartStatus.ACTIVE) throw unknownCart();
    const target = await this.activeCartOf(root, anonymous.lastChannel as ChannelCode);
    const moving = await this.linesOf([anonymous.id]);
    const facts = await this.factsOf(moving.map((l) => l.variantId));
    return this.db.transactionRetryingConflicts(async (manager) => {
      const claimed = await manager
        .createQueryBuilder()
        .update(CartRow)
        .set({ status: CartStatus.CLAIMED, customerId: root, updatedAt: new Date() })
        .where('id = :id AND status = :active AND customer_id IS NULL', { id: anonymous.id, active: CartStatus.ACTIVE })
        .execute();
      if (!claimed.affected) throw unknownCart();
      const cart = (await manager.getRepository(CartRow).findOneBy({ id: target.id }))!;
      const current = await manager.getRepository(CartLineRow).findBy({ cartId: cart.id });
      // A variant the catalog no longer knows is left behind; the rest up to what is available.
      await this.mergeInto(manager, cart, current, moving, (variantId) => {
        const fact = facts.get(variantId);
        return fact ? mostAvailable(fact) : 0;
      });
      await manager.getRepository(CartLineRow).delete({ cartId: anonymous.id });
      return this.touched(manager, cart, anonymous.lastChannel as ChannelCode, []);
    });
  }

  /**
   * Adds `moving` lines to `cart`: quantities add up, each capped at the per-line limit and at
   * `capOf` (what is available, on a claim); the line count stays within MAX_CART_LINES. Returns the
   * units moved per variant.
   */
  async mergeInto(
    manager: EntityManager,
    cart: CartRow,
    current: CartLineRow[],
    moving: Array<{ variantId: string; productId: string; quantity: number }>,
    capOf: (variantId: string) => number,
  ): Promise<Map<string, number>> {
    const moved = new Map<string, number>();
    for (const line of moving) {
      const existing = current.find((l) => l.variantId === line.variantId);
      const have = existing?.quantity ?? 0;
      const quantity = Math.max(have, Math.min(have + line.quantity, this.maxLineQuantity, capOf(line.variantId)));
      if (quantity === have || (!existing && current.length >= MAX_CART_LINES)) continue;
      moved.set(line.variantId, quantity - have);
      if (existing) {
        await manager.getRepository(CartLineRow).update({ id: existing.id }, { quantity });
        existing.quantity = quantity;
      } else {
        const row = newLine(cart.id, line.variantId, line.productId, quantity);
        await manager.getRepository(CartLineRow).insert(row);
        current.push(row);
      }
    }
    return moved;
  }

  /** The cart, open (ACTIVE) and the caller's to change; else the userError that says why not. */
  async openForChange(principal: Principal, cartId: string): Promise<CartRow> {
    const [cart] = await this.byIds([cartId]);
    if (!cart || cart.status === CartStatus.EXPIRED || cart.status === CartStatus.CLAIMED || cart.status === CartStatus.MERGED) throw unknownCart();
    await this.requireOwner(principal, cart);
    if (cart.status === CartStatus.CHECKED_OUT) throw new UserErrorException(CartErrorCode.CART_CHECKED_OUT, 'this cart was checked out', ['input', 'cartId']);
    if (cart.checkoutKey !== null) throw new UserErrorException(CartErrorCode.CHECKOUT_IN_PROGRESS, 'this cart is being checked out', ['input', 'cartId']);
    return cart;
  }

  /** A customer's cart is hers alone to change (services act for anyone); an anonymous one anyone's who has its id. */
  async requireOwner(principal: Principal, cart: CartRow): Promise<void> {
    if (cart.customerId === null || principal.kind === 'SERVICE') return;
    if (principal.kind === 'CUSTOMER') {
      const roots = await this.customerLinks.rootsOf([principal.customerId, cart.customerId]);
      if (roots.get(principal.customerId) === roots.get(cart.customerId)) return;
    }
    throw new UserErrorException(CartErrorCode.NOT_YOUR_CART, "this is someone else's cart", ['input', 'cartId']);
  }

  /** Runs a change of an open cart in a transaction, then stamps it and announces it. */
  private async change(
    principal: Principal,
    cartId: string,
    channel: ChannelCode | null,
    work: (manager: EntityManager, cart: CartRow, lines: CartLineRow[]) => Promise<Added>,
  ): Promise<CartRow> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const cart = await manager.getRepository(CartRow).findOneBy({ id: cartId });
      // Checked again inside: a checkout may have started since.
      if (!cart || cart.status !== CartStatus.ACTIVE) throw unknownCart();
      if (cart.checkoutKey !== null) throw new UserErrorException(CartErrorCode.CHECKOUT_IN_PROGRESS, 'this cart is being checked out', ['input', 'cartId']);
      await this.requireOwner(principal, cart);
      const lines = await manager.getRepository(CartLineRow).findBy({ cartId });
      const added = await work(manager, cart, lines);
      return this.touched(manager, cart, channel ?? (cart.lastChannel as ChannelCode), added);
    });
  }

  /** Stamps the cart as changed now, from `channel`, and writes `cart.changed` for a customer's cart. */
  async touched(manager: EntityManager, cart: CartRow, channel: ChannelCode, added: Added, orderId: string | null = null): Promise<CartRow> {
    const now = new Date();
    await manager.getRepository(CartRow).update({ id: cart.id }, { updatedAt: now, lastChannel: channel as Channel });
    Object.assign(cart, { updatedAt: now, lastChannel: channel });
    if (cart.customerId !== null) {
      const lines = await manager.getRepository(CartLineRow).findBy({ cartId: cart.id });
      const itemCount = orderId ? 0 : lines.reduce((sum, l) => sum + l.quantity, 0);
      await this.outbox.add(manager, [
        {
          type: 'cart.changed',
          key: cart.customerId,
          payload: { cartId: cart.id, customerId: cart.customerId, channel, itemCount, changedAt: now.toISOString(), added, orderId },
        },
      ]);
    }
    return cart;
  }

  /**
   * Adds (`add`) or sets (`set`, 0 removes) quantities. Checks the per-line limit, the line count and
   * the units available (a line needs them at one location, as an order takes them). Returns what was added.
   */
  private async applyLines(
    manager: EntityManager,
    cart: CartRow,
    current: CartLineRow[],
    requests: LineRequest[],
    facts: Map<string, VariantFacts>,
    mode: 'add' | 'set',
  ): Promise<Added> {
    const added: Added = [];
    for (const [i, request] of requests.entries()) {
      const existing = current.find((l) => l.variantId === request.variantId);
      const quantity = mode === 'add' ? (existing?.quantity ?? 0) + request.quantity : request.quantity;
      if (quantity === 0) {
        if (existing) await manager.getRepository(CartLineRow).delete({ id: existing.id });
        current = current.filter((l) => l !== existing);
        continue;
      }
      const field = ['input', 'lines', String(i), 'quantity'];
      if (quantity > this.maxLineQuantity) {
        throw new UserErrorException(CartErrorCode.INVALID_QUANTITY, `at most ${this.maxLineQuantity} units of a variant in a cart`, field);
      }
      const fact = facts.get(request.variantId)!;
      if (quantity > mostAvailable(fact)) {
        throw new UserErrorException(CartErrorCode.INSUFFICIENT_STOCK, `only ${mostAvailable(fact)} available`, field);
      }
      if (existing) {
        await manager.getRepository(CartLineRow).update({ id: existing.id }, { quantity });
        existing.quantity = quantity;
      } else {
        if (current.length >= MAX_CART_LINES) {
          throw new UserErrorException(CartErrorCode.TOO_MANY_LINES, `a cart holds at most ${MAX_CART_LINES} variants`, ['input', 'lines', String(i)]);
        }
        const row = newLine(cart.id, request.variantId, fact.productId, quantity);
        await manager.getRepository(CartLineRow).insert(row);
        current = [...current, row];
      }
      if (mode === 'add') added.push({ variantId: request.variantId, productId: fact.productId, quantity: request.quantity });
    }
    return added;
  }

  /** The catalog's facts of requested variants, every one known and sold in the channel; quantities 1 to the limit. */
  private async checkedFacts(lines: LineRequest[], channel: ChannelCode): Promise<Map<string, VariantFacts>> {
    if (lines.length > MAX_CART_LINES) {
      throw new UserErrorException(CartErrorCode.TOO_MANY_LINES, `a cart holds at most ${MAX_CART_LINES} variants`, ['input', 'lines']);
    }
    lines.forEach((line, i) => {
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > this.maxLineQuantity) {
        throw new UserErrorException(CartErrorCode.INVALID_QUANTITY, `a quantity is 1 to ${this.maxLineQuantity}`, ['input', 'lines', String(i), 'quantity']);
      }
    });
    const facts = await this.factsOf(lines.map((l) => l.variantId));
    const checked = new Map<string, VariantFacts>();
    lines.forEach((line, i) => {
      const fact = facts.get(line.variantId);
      if (!fact) throw new UserErrorException(CartErrorCode.UNKNOWN_VARIANT, 'no such variant', ['input', 'lines', String(i), 'variantId']);
      if (!fact.soldOnline && channel !== 'STORE') {
        throw new UserErrorException(CartErrorCode.DISCONTINUED, 'this variant is no longer sold online', ['input', 'lines', String(i), 'variantId']);
      }
      checked.set(line.variantId, fact);
    });
    return checked;
  }

  async factsOf(variantIds: string[]): Promise<Map<string, VariantFacts | null>> {
    const unique = [...new Set(variantIds)];
    const facts = await this.inventory.variants(unique);
    return new Map(unique.map((id, i) => [id, facts[i]]));
  }
}

/** The most units of the variant one location has: what one order can take of it. */
export function mostAvailable(fact: VariantFacts): number {
  return Math.max(0, ...fact.available.values());
}

function newCart(customerId: string | null, channel: ChannelCode): CartRow {
  const now = new Date();
  return Object.assign(new CartRow(), {
    id: newCartId(),
    customerId,
    activeCustomerId: customerId,
    status: CartStatus.ACTIVE,
    lastChannel: channel,
    createdAt: now,
    updatedAt: now,
    checkoutKey: null,
    checkedOutOrderId: null,
    checkedOutOrderNumber: null,
  });
}

function newLine(cartId: string, variantId: string, productId: string, quantity: number): CartLineRow {
  return Object.assign(new CartLineRow(), { id: randomUUID(), cartId, variantId, productId, quantity, addedAt: new Date() });
}

export function unknownCart(): UserErrorException {
  return new UserErrorException(CartErrorCode.UNKNOWN_CART, 'no open cart by this id', ['input', 'cartId']);
}
