import { randomUUID } from 'node:crypto';
import type { Database } from '../../../../shared/db/database';
import { openTestSubgraph } from '../../../../shared/testkit/subgraph';
import { inventorySubgraph } from '../definition';
import { LocationType } from '../location/location.entity';
import { StockLevel, StockMovement } from './stock.entity';

/**
 * For tests: every level whose ledger does not add up to it (sums of on hand and reserved deltas
 * per variant and location), and every level below zero. Empty when the ledger and the levels agree.
 */
export async function ledgerDisagreements(db: Database): Promise<string[]> {
  const levels = await db.manager.getRepository(StockLevel).find();
  const moves = await db.manager.getRepository(StockMovement).find();
  const sums = new Map<string, { onHand: number; reserved: number }>();
  for (const m of moves) {
    const key = `${m.locationId}/${m.variantId}`;
    const sum = sums.get(key) ?? { onHand: 0, reserved: 0 };
    sum.onHand += m.onHandDelta;
    sum.reserved += m.reservedDelta;
    sums.set(key, sum);
  }
  const problems: string[] = [];
  for (const level of levels) {
    const key = `${level.locationId}/${level.variantId}`;
    const sum = sums.get(key) ?? { onHand: 0, reserved: 0 };
    sums.delete(key);
    if (sum.onHand !== level.onHand || sum.reserved !== level.reserved) {
      problems.push(`${key}: level ${level.onHand}/${level.reserved}, ledger ${sum.onHand}/${sum.reserved}`);
    }
    if (level.available !== level.onHand - level.reserved || level.available < 0 || level.reserved < 0) {
      problems.push(`${key}: on hand ${level.onHand}, reserved ${level.reserved}, available ${level.available}`);
    }
  }
  for (const [key, sum] of sums) if (sum.onHand || sum.reserved) problems.push(`${key}: no level, ledger ${sum.onHand}/${sum.reserved}`);
  return problems;
}

/** For integration tests: the inventory subgraph on its own database, with two stores and helpers. */
export async function openTestInventory(storeIds: string[]) {
  const { platform, subgraph: inventory, close } = await openTestSubgraph(inventorySubgraph);
  const { domain } = inventory;
  await domain.locations.createLocations(
    storeIds.map((id) => ({ id, code: id, name: id, type: LocationType.STORE, address: 'Tokyo', lat: 35.66, lng: 139.7, pickupEnabled: true })),
  );
  return {
    platform,
    inventory,
    domain,
    /** A fresh SKU (its own style) with `onHand` units received at the first store. */
    async sku(onHand: number, options: { price?: number; priceOverride?: number; taxRateBp?: number } = {}): Promise<{ variantId: string; productId: string }> {
      const code = `T-${randomUUID().slice(0, 8)}`;
      const [product] = await domain.products.createProducts([
        {
          code,
          name: code,
          brand: 'Test',
          category: 'Test',
          price: options.price ?? 5500,
          taxRateBp: options.taxRateBp,
          releasedAt: new Date(),
          soldOnline: true,
          variants: [{ sku: `${code}-M`, color: 'Navy', size: 'M', priceOverride: options.priceOverride }],
        },
      ]);
      const [variant] = await domain.products.variantsByProductIds([product.id]);
      const lines = [{ variantId: variant.id, productId: product.id, quantity: onHand }];
      if (onHand) await domain.stock.receive([{ locationId: storeIds[0], lines, reference: 'test', actor: 'test' }]);
      return { variantId: variant.id, productId: product.id };
    },
    /** On hand, reserved and available of a SKU at a location (zeros when it has no level). */
    async level(variantId: string, locationId = storeIds[0]): Promise<{ onHand: number; reserved: number; available: number }> {
      const row = await inventory.db.manager.getRepository(StockLevel).findOneBy({ variantId, locationId });
      return { onHand: row?.onHand ?? 0, reserved: row?.reserved ?? 0, available: row?.available ?? 0 };
    },
    close,
  };
}
