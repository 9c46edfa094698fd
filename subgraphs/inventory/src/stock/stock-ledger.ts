import { In, MoreThan, type EntityManager } from 'typeorm';
import { actorOf, type Principal } from '../../../../shared/auth/principal';
import { MAX_STOCK_LEVEL } from '../../../../shared/bounds';
import { chunk, insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { upsertRows } from '../../../../shared/db/upsert';
import type { Outbox } from '../../../../shared/events/outbox';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { Location } from '../location/location.entity';
import { StockLevel, StockMovement } from './stock.entity';

/** Why stock moved; the ledger's `reason`. */
export type MovementReason =
  | 'RECEIPT'
  | 'ADJUSTMENT'
  | 'TRANSFER_OUT'
  | 'TRANSFER_IN'
  | 'RESERVED'
  | 'RESERVATION_COMMITTED'
  | 'RESERVATION_RELEASED'
  | 'RESERVATION_EXPIRED'
  | 'RESERVATION_RETAKEN'
  | 'SALE'
  | 'CANCEL_RESTOCK'
  | 'RETURN_RESTOCK';

/** One change of one level: deltas of on hand and reserved units (available follows from both). */
export interface StockMove {
  locationId: string;
  variantId: string;
  productId: string;
  onHand: number;
  reserved: number;
  reason: MovementReason;
  /** What caused it: `transfer:<id>`, `reservation:<id>`, `order:<id>`, `return:<id>`, a delivery note. */
  reference: string;
  note?: string | null;
  /** Input path reported with INSUFFICIENT_STOCK (below zero) or STOCK_LIMIT_EXCEEDED (above the maximum). */
  field?: string[];
}

export interface MoveOrigin {
  actor: string;
  occurredAt: Date;
}

/** Levels per `stock.changed` event: keeps each payload small. */
const LEVELS_PER_EVENT = 200;

/** Who moved stock, as the ledger records it: e.g. `STAFF:STORE_STAFF:c-1`, `SERVICE:orders`. */
export function actorLabel(principal: Principal): string {
  const { kind, role, id } = actorOf(principal);
  return [kind, role, id].filter(Boolean).join(':').slice(0, 100);
}

/**
 * The one way stock levels change: conditional updates (never read-then-write), a ledger row per
 * move in the same transaction, and `stock.changed` through the outbox. So the ledger and the levels
 * always agree, and no level goes below zero.
 */
export class StockLedger {
  constructor(private readonly db: Database, private readonly outbox: Outbox) {}

  /**
   * Applies every move or none: a move that would take on hand, reserved or available below zero
   * throws INSUFFICIENT_STOCK, one that would take on hand above MAX_STOCK_LEVEL STOCK_LIMIT_EXCEEDED,
   * and the caller's transaction rolls back.
   */
  async apply(manager: EntityManager, moves: StockMove[], origin: MoveOrigin): Promise<void> {
    const increases = moves.filter(isPlainIncrease);
    // In one order, so that concurrent multi-line changes lock rows alike and rarely deadlock.
    const others = moves.filter((m) => !isPlainIncrease(m)).sort(byLevel);
    for (const move of others) {
      if (!(await this.tryChange(manager, move, origin.occurredAt))) {
        throw new UserErrorException(
          'INSUFFICIENT_STOCK',
          `not enough stock of variant ${move.variantId} at location ${move.locationId}`,
          move.field ?? null,
        );
      }
    }
    await this.addUnits(manager, increases, origin.occurredAt);
    await this.refuseAboveMaximum(manager, moves);
    await this.record(manager, moves, origin);
  }

  /**
   * Units each of these levels may still take before MAX_STOCK_LEVEL (a missing level: all of them),
   * the rows locked until the transaction ends (MySQL): for restocks that book what fits.
   */
  async headroom(manager: EntityManager, locationId: string, variantIds: string[]): Promise<Map<string, number>> {
    const query = manager
      .getRepository(StockLevel)
      .createQueryBuilder('s')
      .where('s.location_id = :locationId AND s.variant_id IN (:...variantIds)', { locationId, variantIds: variantIds.length ? variantIds : [''] });
    if (this.db.kind === 'mysql') query.setLock('pessimistic_write');
    const levels = new Map((await query.getMany()).map((l) => [l.variantId, l.onHand]));
    return new Map(variantIds.map((id) => [id, Math.max(0, MAX_STOCK_LEVEL - (levels.get(id) ?? 0))]));
  }

  /**
   * Goods back on the shelf (a cancellation, a return): they happened, so they are booked, but a level
   * never goes above MAX_STOCK_LEVEL; units beyond it are left out and the ledger row says so.
   */
  async putBack(
    manager: EntityManager,
    locationId: string,
    lines: Array<{ variantId: string; productId: string; quantity: number }>,
    origin: MoveOrigin & { reason: MovementReason; reference: string; note: string | null },
  ): Promise<void> {
    const merged = mergeLines(lines.filter((l) => l.quantity > 0));
    if (!merged.length) return;
    const room = await this.headroom(manager, locationId, merged.map((l) => l.variantId));
    const moves = merged.map((line) => {
      const units = Math.min(line.quantity, room.get(line.variantId)!);
      const capped = units < line.quantity ? `${line.quantity - units} units beyond the maximum of ${MAX_STOCK_LEVEL} not booked` : null;
      const note = [origin.note, capped].filter(Boolean).join('; ') || null;
      return { variantId: line.variantId, productId: line.productId, locationId, onHand: units, reserved: 0, reason: origin.reason, reference: origin.reference, note };
    });
    await this.apply(manager, moves, origin);
  }

  /**
   * Takes up to `quantity` free units of a level out of on hand (never below what is free): all of
   * them by one conditional update when they are there, else what there is, the row locked (MySQL)
   * while it is read. Returns the units taken; the caller records the move.
   */
  async takeFree(
    manager: EntityManager,
    line: { locationId: string; variantId: string; productId: string; quantity: number },
    at: Date,
  ): Promise<number> {
    if (await this.tryChange(manager, { ...line, onHand: -line.quantity, reserved: 0 }, at)) return line.quantity;
    const level = manager
      .getRepository(StockLevel)
      .createQueryBuilder('s')
      .where('s.variant_id = :variantId AND s.location_id = :locationId', line);
    if (this.db.kind === 'mysql') level.setLock('pessimistic_write');
    const free = Math.max(0, Math.min(line.quantity, (await level.getOne())?.available ?? 0));
    if (free > 0 && !(await this.tryChange(manager, { ...line, onHand: -free, reserved: 0 }, at))) return 0;
    return free;
  }

  /**
   * A sale that already happened takes its units out of on hand. When the system counted fewer free
   * units than were sold, on hand goes down to what reservations hold (zero without any), never
   * below. Returns the change booked, and the units counted before when they did not cover the sale.
   */
  async takeSold(
    manager: EntityManager,
    line: { locationId: string; variantId: string; productId: string; quantity: number },
    at: Date,
  ): Promise<{ onHandDelta: number; countedBefore: number | null }> {
    const move = { ...line, onHand: -line.quantity, reserved: 0 };
    if (await this.tryChange(manager, move, at)) return { onHandDelta: -line.quantity, countedBefore: null };
    // Rare path: make sure the row exists, lock it (MySQL), and book what there is.
    await this.addUnits(manager, [{ ...move, onHand: 0, reason: 'SALE', reference: '' }], at);
    const level = manager
      .getRepository(StockLevel)
      .createQueryBuilder('s')
      .where('s.variant_id = :variantId AND s.location_id = :locationId', line);
    if (this.db.kind === 'mysql') level.setLock('pessimistic_write');
    const before = (await level.getOne())!;
    await manager
      .createQueryBuilder()
      .update(StockLevel)
      .set({ onHand: () => 'reserved', available: 0, updatedAt: at })
      .where('variant_id = :variantId AND location_id = :locationId', line)
      .execute();
    return { onHandDelta: before.reserved - before.onHand, countedBefore: before.onHand };
  }

  /**
   * STOCK_LIMIT_EXCEEDED when a move that added units left a level above MAX_STOCK_LEVEL: checked
   * after the change, in its transaction (which holds the rows), so the caller's rollback undoes it.
   */
  private async refuseAboveMaximum(manager: EntityManager, moves: StockMove[]): Promise<void> {
    const added = new Map<string, StockMove[]>();
    for (const move of moves.filter((m) => m.onHand > 0)) {
      const ofLocation = added.get(move.locationId);
      if (ofLocation) ofLocation.push(move);
      else added.set(move.locationId, [move]);
    }
    for (const [locationId, ofLocation] of added) {
      for (const part of chunk(ofLocation, 500)) {
        const over = await manager
          .getRepository(StockLevel)
          .findOne({ select: { variantId: true }, where: { locationId, variantId: In(part.map((m) => m.variantId)), onHand: MoreThan(MAX_STOCK_LEVEL) } });
        if (over) {
          const move = part.find((m) => m.variantId === over.variantId)!;
          throw new UserErrorException(
            'STOCK_LIMIT_EXCEEDED',
            `at most ${MAX_STOCK_LEVEL} units of a SKU on hand at a location (variant ${move.variantId} at location ${locationId})`,
            move.field ?? null,
          );
        }
      }
    }
  }

  /** Writes the ledger rows of moves already applied and announces the levels they touched. */
  async record(manager: EntityManager, moves: StockMove[], origin: MoveOrigin): Promise<void> {
    await insertMany(
      manager,
      StockMovement,
      moves.map((m) =>
        Object.assign(new StockMovement(), {
          variantId: m.variantId,
          locationId: m.locationId,
          onHandDelta: m.onHand,
          reservedDelta: m.reserved,
          reason: m.reason,
          reference: m.reference.slice(0, 100),
          actor: origin.actor,
          note: m.note?.slice(0, 500) ?? null,
          occurredAt: origin.occurredAt,
        }),
      ),
    );
    await this.announce(manager, moves, origin.occurredAt);
  }

  /** `on_hand += onHand, reserved += reserved` only when no level would go below zero; false when refused. */
  private async tryChange(manager: EntityManager, move: Omit<StockMove, 'reason' | 'reference'>, at: Date): Promise<boolean> {
    const params = {
      variantId: move.variantId,
      locationId: move.locationId,
      onHand: move.onHand,
      reserved: move.reserved,
      free: move.onHand - move.reserved,
    };
    const result = await manager
      .createQueryBuilder()
      .update(StockLevel)
      .set({
        onHand: () => 'on_hand + :onHand',
        reserved: () => 'reserved + :reserved',
        available: () => 'available + :free',
        updatedAt: at,
      })
      .where('variant_id = :variantId AND location_id = :locationId')
      .andWhere('on_hand + :onHand >= 0 AND reserved + :reserved >= 0 AND available + :free >= 0')
      .setParameters(params)
      .execute();
    return (result.affected ?? 0) > 0;
  }

  /** Units coming in: relative and atomic upserts, so concurrent receipts add up and a new level is created. */
  private async addUnits(manager: EntityManager, moves: StockMove[], at: Date): Promise<void> {
    const merged = new Map<string, StockMove>();
    for (const m of moves) {
      const key = `${m.locationId}\u0000${m.variantId}`;
      const seen = merged.get(key);
      merged.set(key, seen ? { ...seen, onHand: seen.onHand + m.onHand } : m);
    }
    if (!merged.size) return;
    await upsertRows(
      this.db,
      manager,
      'stock_level',
      { variant_id: 'key', location_id: 'key', product_id: 'replace', on_hand: 'add', reserved: 'add', available: 'add', updated_at: 'replace' },
      [...merged.values()].sort(byLevel).map((m) => ({
        variant_id: m.variantId,
        location_id: m.locationId,
        product_id: m.productId,
        on_hand: m.onHand,
        reserved: 0,
        available: m.onHand,
        updated_at: this.db.dateParameter(at),
      })),
    );
  }

  /** `stock.changed` with the levels as they now stand (this transaction holds their rows), per location. */
  private async announce(manager: EntityManager, moves: StockMove[], occurredAt: Date): Promise<void> {
    const variantsByLocation = new Map<string, Set<string>>();
    for (const m of moves) {
      const ids = variantsByLocation.get(m.locationId) ?? new Set<string>();
      ids.add(m.variantId);
      variantsByLocation.set(m.locationId, ids);
    }
    for (const [locationId, variantIds] of variantsByLocation) {
      const levels: StockLevel[] = [];
      for (const ids of chunk([...variantIds], 500)) {
        levels.push(...(await manager.getRepository(StockLevel).findBy({ locationId, variantId: In(ids) })));
      }
      const asOf = new Date().toISOString();
      const locationType = (await manager.getRepository(Location).findOneBy({ id: locationId }))?.type;
      await this.outbox.add(
        manager,
        chunk(levels, LEVELS_PER_EVENT).map((part) => ({
          type: 'stock.changed' as const,
          key: locationId,
          occurredAt,
          payload: {
            locationId,
            locationType,
            asOf,
            levels: part.map((l) => ({
              variantId: l.variantId,
              productId: l.productId,
              onHand: l.onHand,
              reserved: l.reserved,
              available: l.available,
            })),
          },
        })),
      );
    }
  }
}

function isPlainIncrease(move: StockMove): boolean {
  return move.reserved === 0 && move.onHand >= 0;
}

function byLevel(a: StockMove, b: StockMove): number {
  // Code units, not localeCompare: any fixed order serves, and this one is cheap for a whole location's stock.
  return compare(a.locationId, b.locationId) || compare(a.variantId, b.variantId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One line per SKU: an order may list a SKU twice, the ledger books it once. */
export function mergeLines<L extends { variantId: string; quantity: number }>(lines: L[]): L[] {
  const merged = new Map<string, L>();
  for (const line of lines) {
    const seen = merged.get(line.variantId);
    merged.set(line.variantId, seen ? { ...seen, quantity: seen.quantity + line.quantity } : { ...line });
  }
  return [...merged.values()];
}
