import 'reflect-metadata';
import fs from 'node:fs';
import { chunk } from '../../shared/db/batch';
import { dropDatabase } from '../../shared/db/database';
import { loadConfig, SERVICE_NAMES, type Config } from '../../shared/config';
import { Channel } from '../../shared/graphql/channel';
import { IN_PROCESS_BATCH } from '../../shared/events/memory-bus';
import { createRedis } from '../../shared/redis';
import type { Principal } from '../../shared/auth/principal';
import { IdentityType } from '../../shared/graphql/identity';
import { scopes as RECOMMENDATION_SCOPES } from '../../subgraphs/recommendations/src/ranking/list-cache';
import { TouchpointType } from '../../subgraphs/customers/src/touchpoint/touchpoint.entity';
import { MAX_EVENTS_PER_BATCH } from '../../subgraphs/customers/src/touchpoint/touchpoint.service';
import { LocationType } from '../../subgraphs/inventory/src/location/location.entity';
import { STANDARD_TAX_RATE_BP } from '../../subgraphs/inventory/src/product/product.service';
import { FulfillmentStatus, FulfillmentType, OrderStatus } from '../../subgraphs/orders/src/order/order.entity';
import type { RecordedOrder } from '../../subgraphs/orders/src/order/order.service';
import { openGraph, type OpenGraph } from '../start-all';
import { generateDemoData, type DemoOrder } from './demo-data';
import { EventWorker } from './event-worker';

export interface SeedOptions {
  /** 1 = the full demo data set; tests use a fraction. */
  scale: number;
  /** The moment the history ends; defaults to the start of today (UTC), so a day's runs agree. */
  anchor?: Date;
  log?: (message: string) => void;
}

export const DEMO_SEED = 20261123;

/** The seed writes as a service would: history from the channels' own systems. */
const SEED_PRINCIPAL: Principal = { kind: 'SERVICE', service: 'seed' };

/** True when a previous seed finished: locations are written last, so they mark a complete seed. */
export async function isSeeded(graph: Pick<OpenGraph, 'subgraphs'>): Promise<boolean> {
  const [locations, hasOrders] = await Promise.all([
    graph.subgraphs.inventory.domain.locations.all(),
    graph.subgraphs.orders.domain.orders.hasAny(),
  ]);
  if (hasOrders && !locations.length) {
    throw new Error('The databases hold a partial demo data set. Run `npm run seed -- --reset` to start again.');
  }
  return locations.length > 0;
}

export function startOfTodayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * Writes the demo data set through each service's own domain methods, in batches and with historical
 * timestamps, so that the services' events flow to their consumers as in production.
 */
export async function seedDemoData(graph: OpenGraph, options: SeedOptions) {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const { inventory, customers, orders, recommendations } = graph.subgraphs;
  // Embedded: the recommendations' event handling (the largest) runs on the other core meanwhile.
  const embedded = graph.platform.embedded && !graph.config.mysqlUrl;
  const starting = embedded ? EventWorker.start('recommendations', graph.config) : undefined;
  // Handled, so that a failure to generate does not leave a rejection unhandled: awaited below.
  starting?.catch(() => undefined);
  const data = generateDemoData({ scale: options.scale, seed: DEMO_SEED, anchor: options.anchor ?? startOfTodayUtc() });
  let worker: EventWorker | undefined;
  // Awaited once the first step's writes are done: the worker starts (compiles, opens) meanwhile.
  const handOver = async () => {
    // A worker that could not start leaves the handling where it always is, in this thread.
    worker = await starting?.catch((err: unknown) => {
      log(`recommendations' events handled in this thread: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    recommendations.handleEventsWith(worker?.handle);
    // A worker that ends hands the handling back: batches it failed are retried here, not dead-lettered.
    worker?.onExit(() => recommendations.handleEventsWith(undefined));
  };
  // Each step's events are handed over when it is done, in the in-process bus's batches (bulkLoad),
  // and handled before the next step: orders find the identity links of the customers before them.
  const step = <T>(work: () => Promise<T>) => graph.bulkLoad(work, { batchSize: IN_PROCESS_BATCH });
  const relaxing = await Promise.allSettled(Object.values(graph.subgraphs).map((s) => s.db.relaxForBulkLoad()));
  const restore = relaxing.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  try {
    const failed = relaxing.find((r) => r.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    await step(async () => {
      for (const batch of chunk(data.products, 100)) await inventory.domain.products.createProducts(batch);
      // A location's opening stock in one receipt (one transaction): fewer, larger commits.
      for (const stock of data.stock) {
        await inventory.domain.stock.receive([
          { locationId: stock.locationId, lines: stock.lines, reference: 'demo-opening-stock', actor: 'seed', occurredAt: data.products[0]?.releasedAt },
        ]);
      }
      await handOver();
    });
    log(`inventory: ${data.products.length} styles and their stock (${Date.now() - started} ms)`);

    await step(async () => {
      for (const batch of chunk(data.customers, 500)) {
        await customers.domain.customers.registerMany(
          batch.map((c) => ({
            ...c,
            channel: Channel[c.channel],
            identities: c.identities.map((i) => ({ ...i, type: IdentityType[i.type], channel: Channel[i.channel] })),
          })),
        );
      }
    });
    log(`customers: ${data.customers.length} (${Date.now() - started} ms)`);

    await step(async () => {
      for (const batch of chunk(data.touchpoints, MAX_EVENTS_PER_BATCH)) {
        const result = await customers.domain.touchpoints.track(
          SEED_PRINCIPAL,
          batch.map((t) => ({ ...t, type: TouchpointType[t.type], channel: Channel[t.channel], identity: t.identity && { type: IdentityType.DEVICE, value: t.identity.value } })),
          // History: its cart adds are kept as the carts of the time recorded them (trackEvents refuses them).
          { acceptCartAdds: true },
        );
        if (result.rejected.length) throw new Error(`demo touchpoint rejected: ${JSON.stringify(result.rejected[0])}`);
      }
    });
    log(`touchpoints: ${data.touchpoints.length} (${Date.now() - started} ms)`);

    await step(async () => {
      for (const batch of chunk(data.orders, 1000)) await orders.domain.orders.recordOrders(batch.map(toRecordedOrder));
    });
    log(`orders: ${data.orders.length} (${Date.now() - started} ms)`);

    // Last: locations mark a complete seed (isSeeded). Stock and orders refer to their ids already.
    await step(() => inventory.domain.locations.createLocations(data.locations.map((l) => ({ ...l, type: LocationType[l.type] }))));
  } finally {
    recommendations.handleEventsWith(undefined);
    try {
      // Closed even when the seed failed before it was handed anything.
      await (worker ?? (await starting?.catch(() => undefined)))?.close();
    } finally {
      // Every database back to its usual settings, whatever failed before.
      const restored = await Promise.allSettled(restore.map((relaxed) => relaxed()));
      const failed = restored.find((r) => r.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }
  }
  // Lists this process cached while the worker changed what they are made of are stale.
  if (worker) await recommendations.domain.lists.invalidateNow(RECOMMENDATION_SCOPES.everything);
  log(`events consumed (${Date.now() - started} ms)`);
  return data;
}

/** Demo orders are history: all fulfilled. */
function toRecordedOrder(order: DemoOrder): RecordedOrder {
  const fulfillment = {
    SHIP: { status: FulfillmentStatus.DELIVERED, locationId: null },
    PICKUP_IN_STORE: { status: FulfillmentStatus.PICKED_UP, locationId: order.locationId },
    CARRY_OUT: { status: FulfillmentStatus.PICKED_UP, locationId: order.locationId },
  }[order.fulfillmentType];
  return {
    id: order.id,
    number: order.number,
    channel: Channel[order.channel],
    status: OrderStatus.COMPLETED,
    customerId: order.customerId,
    locationId: order.locationId,
    placedAt: order.placedAt,
    externalId: order.externalId,
    fulfillmentType: FulfillmentType[order.fulfillmentType],
    fulfillmentLocationId: fulfillment.locationId,
    fulfillmentStatus: fulfillment.status,
    lines: order.lines.map((l) => ({ ...l, taxRateBp: STANDARD_TAX_RATE_BP })),
  };
}

/** Drops every service database and this deployment's Redis keys (streams, groups, caches). */
export async function resetAll(config: Config): Promise<void> {
  for (const name of SERVICE_NAMES) await dropDatabase(config, name);
  if (!config.redisUrl) return;
  const redis = createRedis(config.redisUrl, 'seed-reset');
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${config.redisKeyPrefix}*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

/** Removes everything a test or benchmark graph left: every database (the gateway's too), Redis keys, files. */
export async function discardGraphData(config: Config): Promise<void> {
  await resetAll(config);
  await dropDatabase(config, 'gateway');
  fs.rmSync(config.dataDir, { recursive: true, force: true });
}

async function main(): Promise<void> {
  const config = loadConfig();
  const reset = process.argv.includes('--reset');
  if (reset) await resetAll(config);
  const graph = await openGraph(config);
  try {
    if (!reset && (await isSeeded(graph))) {
      console.log('Already seeded; `npm run seed -- --reset` drops the data and seeds again.');
      return;
    }
    await seedDemoData(graph, { scale: 1, log: (m) => console.log(m) });
  } finally {
    await graph.close();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
