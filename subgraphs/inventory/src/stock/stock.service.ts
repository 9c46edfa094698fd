import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { requireAtLocation } from '../../../../shared/auth/auth-checker';
import type { Principal } from '../../../../shared/auth/principal';
import { MAX_STOCK_LEVEL } from '../../../../shared/bounds';
import { insertMany } from '../../../../shared/db/batch';
import { toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import { isEvent, type EventEnvelope } from '../../../../shared/events/envelope';
import { decodeCursor, toConnection, type Connection } from '../../../../shared/graphql/connection';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { actorLabel, mergeLines, type StockLedger, type StockMove } from './stock-ledger';
import type { OrderStock } from '../reservation/order-stock.service';
import type { StockSubjects } from './stock-subjects';
import { LocationAvailability, StockDiscrepancy, StockDiscrepancyKind, StockLevel } from './stock.entity';
import type { AdjustStockInput, TransferStockInput } from './stock.inputs';

/** The ledger's actor of movements that orders' events cause. */
const ORDER_EVENTS_ACTOR = 'SERVICE:orders';

export interface StockReceipt {
  locationId: string;
  lines: Array<{ variantId: string; productId: string; quantity: number }>;
  reference: string;
  actor: string;
  occurredAt?: Date;
}

/** Units one adjustment or transfer line may move: never more than a level may hold. */
const MAX_MOVE_QUANTITY = MAX_STOCK_LEVEL;

export class StockService {
  constructor(
    private readonly db: Database,
    private readonly ledger: StockLedger,
    private readonly subjects: StockSubjects,
    private readonly orderStock: OrderStock,
  ) {}

  /**
   * Books goods received at a location: levels go up, the ledger records each line, and
   * `stock.changed` announces the new levels.
   */
  async receive(receipts: StockReceipt[]): Promise<void> {
    await this.db.transaction(async (manager) => {
      for (const receipt of receipts) {
        const moves = receipt.lines.map((line) => ({
          ...line,
          locationId: receipt.locationId,
          onHand: line.quantity,
          reserved: 0,
          reason: 'RECEIPT' as const,
          reference: receipt.reference,
        }));
        await this.ledger.apply(manager, moves, { actor: receipt.actor, occurredAt: receipt.occurredAt ?? new Date() });
      }
    });
  }

  /** Corrects the units on hand of one SKU at one location; never below what is reserved, nor above MAX_STOCK_LEVEL. */
  async adjust(principal: Principal, input: AdjustStockInput): Promise<StockLevel> {
    requireAtLocation(principal, input.locationId);
    if (!Number.isInteger(input.delta) || input.delta === 0 || Math.abs(input.delta) > MAX_MOVE_QUANTITY) {
      throw new UserErrorException('INVALID_QUANTITY', `delta must be a non-zero whole number up to ${MAX_MOVE_QUANTITY} either way`, ['input', 'delta']);
    }
    await this.subjects.location(input.locationId, ['input', 'locationId']);
    const { product } = await this.subjects.variant(input.variantId, ['input', 'variantId']);
    const move: StockMove = {
      locationId: input.locationId,
      variantId: input.variantId,
      productId: product.id,
      onHand: input.delta,
      reserved: 0,
      reason: 'ADJUSTMENT',
      reference: `adjustment:${randomUUID()}`,
      note: input.reason,
      field: ['input', 'delta'],
    };
    return this.db.transactionRetryingConflicts(async (manager) => {
      await this.ledger.apply(manager, [move], { actor: actorLabel(principal), occurredAt: new Date() });
      return (await manager.getRepository(StockLevel).findOneBy({ locationId: move.locationId, variantId: move.variantId }))!;
    });
  }

  /** Moves goods between two locations: both sides in one transaction, every line or none. */
  async transfer(principal: Principal, input: TransferStockInput): Promise<{ transferId: string; levels: StockLevel[] }> {
    requireAtLocation(principal, input.fromLocationId);
    if (input.fromLocationId === input.toLocationId) {
      throw new UserErrorException('SAME_LOCATION', 'a transfer goes between two different locations', ['input', 'toLocationId']);
    }
    await this.subjects.location(input.fromLocationId, ['input', 'fromLocationId']);
    await this.subjects.location(input.toLocationId, ['input', 'toLocationId']);
    const lines = await this.subjects.lines(input.lines, ['input', 'lines'], MAX_MOVE_QUANTITY);
    const transferId = randomUUID();
    const moves = lines.flatMap((line): StockMove[] => {
      const common = { variantId: line.variant.id, productId: line.product.id, reserved: 0, reference: `transfer:${transferId}` };
      return [
        { ...common, locationId: input.fromLocationId, onHand: -line.quantity, reason: 'TRANSFER_OUT', field: [...line.field, 'quantity'] },
        { ...common, locationId: input.toLocationId, onHand: line.quantity, reason: 'TRANSFER_IN', note: `from ${input.fromLocationId}`, field: [...line.field, 'quantity'] },
      ];
    });
    return this.db.transactionRetryingConflicts(async (manager) => {
      await this.ledger.apply(manager, moves, { actor: actorLabel(principal), occurredAt: new Date() });
      const levels = await manager.getRepository(StockLevel).find({
        where: { locationId: In([input.fromLocationId, input.toLocationId]), variantId: In(lines.map((l) => l.variant.id)) },
        order: { locationId: 'ASC', variantId: 'ASC' },
      });
      return { transferId, levels };
    });
  }

  /**
   * What orders' events mean for stock, in the consumer's transaction: a placed order takes its stock
   * out through its reservation (once: the orders service's fast path may have done it), a store sale
   * takes its lines out of the store (recording a discrepancy when the count was short), a
   * cancellation puts back what was taken, a return restocks where it was received. Ledger references
   * name the order, reservation or return. An event naming a reservation inventory does not have is
   * refused (and delivered again), never applied halfway.
   */
  async applyOrderEvents(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (isEvent(event, 'order.placed')) {
        const { stockEffect, locationId, orderId, lines, placedAt, reservationId } = event.payload;
        if (stockEffect === 'SOLD_AT_LOCATION' && locationId) await this.bookSale(manager, orderId, locationId, lines, new Date(placedAt));
        if (stockEffect === 'COMMIT_RESERVATION' && reservationId) {
          const settled = await this.orderStock.settle(manager, { reservationId, orderId }, ORDER_EVENTS_ACTOR, new Date());
          if (!settled) throw new Error(`order ${orderId} names reservation ${reservationId}, which inventory does not have`);
        }
      } else if (isEvent(event, 'order.cancelled')) {
        const { restock, orderId, cancelledAt, reservationId } = event.payload;
        if (reservationId) {
          if (!(await this.orderStock.cancel(manager, { reservationId, orderId }, ORDER_EVENTS_ACTOR, new Date(cancelledAt)))) {
            throw new Error(`cancelled order ${orderId} names reservation ${reservationId}, which inventory does not have`);
          }
        } else if (restock) {
          await this.ledger.putBack(manager, restock.locationId, restock.lines, {
            reason: 'CANCEL_RESTOCK', reference: `order:${orderId}`, note: null, actor: ORDER_EVENTS_ACTOR, occurredAt: new Date(cancelledAt),
          });
        }
      } else if (isEvent(event, 'order.returned')) {
        const { locationId, lines, returnId, orderId, returnedAt } = event.payload;
        await this.ledger.putBack(manager, locationId, lines, {
          reason: 'RETURN_RESTOCK', reference: `return:${returnId}`, note: `order:${orderId}`, actor: ORDER_EVENTS_ACTOR, occurredAt: new Date(returnedAt),
        });
      }
    }
  }

  private async bookSale(
    manager: EntityManager,
    orderId: string,
    locationId: string,
    lines: Array<{ variantId: string; productId: string; quantity: number }>,
    occurredAt: Date,
  ): Promise<void> {
    const moves: StockMove[] = [];
    const discrepancies: StockDiscrepancy[] = [];
    const recordedAt = new Date();
    for (const line of mergeLines(lines)) {
      const booked = await this.ledger.takeSold(manager, { ...line, locationId }, occurredAt);
      const note = booked.countedBefore === null ? null : `sold ${line.quantity}, counted ${booked.countedBefore}`;
      moves.push({ ...line, locationId, onHand: booked.onHandDelta, reserved: 0, reason: 'SALE', reference: `order:${orderId}`, note });
      if (booked.countedBefore !== null) {
        discrepancies.push(
          Object.assign(new StockDiscrepancy(), {
            id: randomUUID(),
            kind: StockDiscrepancyKind.SALE_BEYOND_COUNT,
            locationId,
            variantId: line.variantId,
            expectedOnHand: booked.countedBefore,
            sold: line.quantity,
            orderId,
            occurredAt,
            recordedAt,
          }),
        );
      }
    }
    await insertMany(manager, StockDiscrepancy, discrepancies);
    await this.ledger.record(manager, moves, { actor: ORDER_EVENTS_ACTOR, occurredAt });
  }

  /** Discrepancies newest first, at one location or (null) everywhere, of one kind or (null) every kind. */
  async discrepancies(
    locationId: string | null,
    first: number,
    after: string | null | undefined,
    kind: StockDiscrepancyKind | null = null,
  ): Promise<Connection<StockDiscrepancy>> {
    const cursor = decodeCursor(after, ['datetime', 'string']);
    const qb = this.db.manager.getRepository(StockDiscrepancy).createQueryBuilder('d');
    if (locationId !== null) qb.andWhere('d.location_id = :locationId', { locationId });
    if (kind !== null) qb.andWhere('d.kind = :kind', { kind });
    if (cursor) {
      const at = this.db.dateParameter(new Date(cursor[0]));
      qb.andWhere('(d.occurred_at < :at OR (d.occurred_at = :at AND d.id < :id))', { at, id: cursor[1] });
    }
    const rows = await qb.orderBy('d.occurred_at', 'DESC').addOrderBy('d.id', 'DESC').take(first + 1).getMany();
    return toConnection(rows, first, (d) => [d.occurredAt.toISOString(), d.id], cursor !== null);
  }

  /** Levels of these variants, at the given locations (all when null), in location order. */
  levelsOfVariants(variantIds: readonly string[], locationIds: string[] | null): Promise<StockLevel[]> {
    return this.db.manager.getRepository(StockLevel).find({
      where: { variantId: In([...variantIds]), ...(locationIds ? { locationId: In(locationIds) } : {}) },
      order: { locationId: 'ASC' },
    });
  }

  /** Per style and location, summed over variants. */
  async availabilityOfProducts(
    productIds: readonly string[],
    locationIds: string[] | null,
  ): Promise<Array<LocationAvailability & { productId: string }>> {
    const qb = this.db.manager
      .getRepository(StockLevel)
      .createQueryBuilder('s')
      .select('s.product_id', 'productId')
      .addSelect('s.location_id', 'locationId')
      .addSelect('SUM(s.on_hand)', 'onHand')
      .addSelect('SUM(s.reserved)', 'reserved')
      .addSelect('SUM(s.available)', 'available')
      .where('s.product_id IN (:...productIds)', { productIds })
      .groupBy('s.product_id')
      .addGroupBy('s.location_id')
      .orderBy('s.location_id');
    if (locationIds) qb.andWhere('s.location_id IN (:...locationIds)', { locationIds: locationIds.length ? locationIds : [''] });
    const rows: Array<Record<string, unknown>> = await qb.getRawMany();
    return rows.map((r) =>
      Object.assign(new LocationAvailability(), {
        productId: String(r.productId),
        locationId: String(r.locationId),
        onHand: toInt(r.onHand),
        reserved: toInt(r.reserved),
        available: toInt(r.available),
      }),
    );
  }

  /** Units available across every location, per key of `column` (variant_id or product_id). */
  async totalAvailable(column: 'variant_id' | 'product_id', ids: readonly string[]): Promise<Map<string, number>> {
    const rows: Array<Record<string, unknown>> = await this.db.manager
      .getRepository(StockLevel)
      .createQueryBuilder('s')
      .select(`s.${column}`, 'id')
      .addSelect('SUM(s.available)', 'available')
      .where(`s.${column} IN (:...ids)`, { ids })
      .groupBy(`s.${column}`)
      .getRawMany();
    return new Map(rows.map((r) => [String(r.id), toInt(r.available)]));
  }

  /** One page of stock at each of these locations, in variant id order. */
  async pageAtLocations(
    locationIds: readonly string[],
    first: number,
    afterVariantId: string | null,
    productId: string | null,
  ): Promise<Map<string, StockLevel[]>> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (afterVariantId) {
      conditions.push('variant_id > ?');
      params.push(afterVariantId);
    }
    if (productId) {
      conditions.push('product_id = ?');
      params.push(productId);
    }
    const repo = this.db.manager.getRepository(StockLevel);
    const raw = await firstRowsPerParent(this.db.manager, {
      table: 'stock_level',
      parentColumn: 'location_id',
      parentIds: locationIds,
      where: conditions.join(' AND ') || undefined,
      params,
      orderBy: 'variant_id',
      limit: first + 1,
    });
    const result = new Map<string, StockLevel[]>();
    for (const [locationId, rows] of raw) {
      result.set(
        locationId,
        rows.map((row) => repo.create({
          variantId: String(row.variant_id),
          locationId: String(row.location_id),
          productId: String(row.product_id),
          onHand: toInt(row.on_hand),
          reserved: toInt(row.reserved),
          available: toInt(row.available),
        })),
      );
    }
    return result;
  }
}
