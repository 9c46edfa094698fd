import fs from 'node:fs';
import { dropDatabase } from '../../../../shared/db/database';
import type { EventEnvelope } from '../../../../shared/events/envelope';
import { Platform } from '../../../../shared/platform';
import { openSubgraph, type OpenSubgraph } from '../../../../shared/subgraph';
import type { InventoryContext } from '../context';
import type { InventoryDomain } from '../domain';
import { testConfig } from '../../../../shared/testkit';
import { inventorySubgraph } from '../definition';
import { StockLevel, StockMovement } from './stock.entity';

const config = testConfig();

describe('stock receipts', () => {
  let platform: Platform;
  let inventory: OpenSubgraph<InventoryDomain, InventoryContext>;

  beforeAll(async () => {
    platform = Platform.create(config);
    inventory = await openSubgraph(inventorySubgraph, platform);
  });
  afterAll(async () => {
    await inventory.stop();
    await platform.close();
    await dropDatabase(config, 'inventory');
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  });

  it('adds up concurrent receipts, keeps the ledger and the levels in step, and announces the levels', async () => {
    const seen: EventEnvelope[] = [];
    const consumer = platform.bus.consume({
      group: 'stock-test',
      producers: ['inventory'],
      logger: inventory.infra.logger,
      handler: async (events) => void seen.push(...events),
    });
    const { stock } = inventory.domain;
    const lines = [
      { variantId: 'v1', productId: 'p1', quantity: 3 },
      { variantId: 'v2', productId: 'p1', quantity: 5 },
    ];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stock.receive([{ locationId: 'store-1', lines, reference: `delivery-${i}`, actor: 'test' }]),
      ),
    );
    inventory.startRelay();
    await inventory.flushOutbox();
    await consumer.caughtUp();

    const levels = await inventory.db.manager.getRepository(StockLevel).find({ order: { variantId: 'ASC' } });
    expect(levels.map((l) => [l.variantId, l.onHand, l.reserved, l.available])).toEqual([
      ['v1', 30, 0, 30],
      ['v2', 50, 0, 50],
    ]);
    const ledger = await inventory.db.manager.getRepository(StockMovement).find();
    for (const level of levels) {
      const moves = ledger.filter((m) => m.variantId === level.variantId && m.locationId === level.locationId);
      expect(moves.reduce((sum, m) => sum + m.onHandDelta, 0)).toBe(level.onHand);
    }
    // Every event reported levels that existed; the last one reports where they ended.
    const reported = seen.filter((e) => e.type === 'stock.changed').map((e) => (e as EventEnvelope<'stock.changed'>).payload.levels);
    expect(reported).toHaveLength(10);
    const onHandV1 = reported.map((ls) => ls.find((l) => l.variantId === 'v1')!.onHand).sort((a, b) => a - b);
    expect(onHandV1).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30]);
    await consumer.stop();
  });
});
