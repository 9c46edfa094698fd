import { In } from 'typeorm';
import { chunk, insertMany } from '../../../../shared/db/batch';
import { toInt } from '../../../../shared/db/columns';
import type { Database } from '../../../../shared/db/database';
import { firstRowsPerParent } from '../../../../shared/db/per-parent';
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
      const repo = manager.getRepository(StockLevel);
      for (const receipt of receipts) {
        const occurredAt = receipt.occurredAt ?? new Date();
        const existing = await repo.findBy({
          locationId: receipt.locationId,
          variantId: In(receipt.lines.map((l) => l.variantId)),
        });
        const byVariant = new Map(existing.map((level) => [level.variantId, level]));
        const created: StockLevel[] = [];
        for (const line of receipt.lines) {
          const level = byVariant.get(line.variantId);
          if (level) {
            // Relative update, so concurrent writers compose instead of overwriting each other.
            await repo
              .createQueryBuilder()
              .update()
              .set({ onHand: () => 'on_hand + :q', available: () => 'available + :q', updatedAt: occurredAt })
              .where('variant_id = :variantId AND location_id = :locationId', {
                variantId: line.variantId,
                locationId: receipt.locationId,
              })
              .setParameter('q', line.quantity)
              .execute();
            level.onHand += line.quantity;
            level.available += line.quantity;
          } else {
            const fresh = Object.assign(new StockLevel(), {
              variantId: line.variantId,
              locationId: receipt.locationId,
              productId: line.productId,
              onHand: line.quantity,
              reserved: 0,
              available: line.quantity,
              updatedAt: occurredAt,
            });
            created.push(fresh);
            byVariant.set(line.variantId, fresh);
          }
        }
        await insertMany(manager, StockLevel, created);
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
        const levels = receipt.lines.map((line) => byVariant.get(line.variantId)!);
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
