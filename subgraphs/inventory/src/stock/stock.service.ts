import { In } from 'typeorm';
import { chunk, insertMany } from '../../../../shared/db/batch';
import { toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
import { upsertRows } from '../../../../shared/db/upsert';
import type { Outbox } from '../../../../shared/events/outbox';
import { LocationAvailability, StockLevel, StockMovement } from './stock.entity';

export interface StockReceipt {
  locationId: string;
  lines: Array<{ variantId: string; productId: string; quantity: number }>;
  reference: string;
  actor: string;
  occurredAt?: Date;
}

/** Levels per `stock.changed` event: keeps each payload small. */
const LEVELS_PER_EVENT = 200;

export class StockService {
  constructor(private readonly db: Database, private readonly outbox: Outbox) {}

  /**
   * Books goods received at a location: levels go up, the ledger records each line, and
   * `stock.changed` announces the new levels.
   */
  async receive(receipts: StockReceipt[]): Promise<void> {
    await this.db.transaction(async (manager) => {
      for (const receipt of receipts) {
        const occurredAt = receipt.occurredAt ?? new Date();
        // Relative and atomic: concurrent receipts add up instead of overwriting each other.
        await upsertRows(
          this.db,
          manager,
          'stock_level',
          { variant_id: 'key', location_id: 'key', product_id: 'replace', on_hand: 'add', reserved: 'add', available: 'add', updated_at: 'replace' },
          receipt.lines.map((line) => ({
            variant_id: line.variantId,
            location_id: receipt.locationId,
            product_id: line.productId,
            on_hand: line.quantity,
            reserved: 0,
            available: line.quantity,
            updated_at: this.db.dateParameter(occurredAt),
          })),
        );
        await insertMany(
          manager,
          StockMovement,
          receipt.lines.map((line) =>
            Object.assign(new StockMovement(), {
              variantId: line.variantId,
              locationId: receipt.locationId,
              onHandDelta: line.quantity,
              reservedDelta: 0,
              reason: 'RECEIPT',
              reference: receipt.reference,
              actor: receipt.actor,
              occurredAt,
            }),
          ),
        );
        // The levels as they now stand (this transaction holds their rows), for the event.
        const levels: StockLevel[] = [];
        for (const ids of chunk(receipt.lines.map((l) => l.variantId), 500)) {
          levels.push(...(await manager.getRepository(StockLevel).findBy({ locationId: receipt.locationId, variantId: In(ids) })));
        }
        await this.outbox.add(
          manager,
          chunk(levels, LEVELS_PER_EVENT).map((part) => ({
            type: 'stock.changed' as const,
            key: receipt.locationId,
            occurredAt,
            payload: {
              locationId: receipt.locationId,
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
    });
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
