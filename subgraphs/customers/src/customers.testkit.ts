import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../shared/auth/principal';
import { dropDatabase } from '../../../shared/db/database';
import type { EventPayloads, EventType } from '../../../shared/events/catalog';
import { OutboxEventRow } from '../../../shared/events/outbox.entity';
import { Channel } from '../../../shared/graphql/channel';
import { UserErrorException } from '../../../shared/graphql/user-error';
import { Platform } from '../../../shared/platform';
import { openSubgraph } from '../../../shared/subgraph';
import { testConfig } from '../../../shared/testkit';
import { customersSubgraph } from './definition';

export const SUPPORT: Principal = { kind: 'STAFF', staffId: 'agent-1', role: 'SUPPORT' };
export const CLERK: Principal = { kind: 'STAFF', staffId: 'clerk-1', role: 'STORE_STAFF', locationId: 'store-1' };
export const ANONYMOUS: Principal = { kind: 'ANONYMOUS' };

/** For integration tests: the customers subgraph alone, on its own database (and Redis when configured). */
export async function openTestCustomers(overrides: Record<string, string> = {}) {
  const config = testConfig(overrides);
  const platform = Platform.create(config);
  const customers = await openSubgraph(customersSubgraph, platform);
  const { domain, db } = customers;
  return {
    config,
    platform,
    customers,
    domain,
    db,
    /** A unique value for one test. */
    unique: (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`,
    /** Registers a customer as `principal` and returns its id. */
    async register(principal: Principal, input: { displayName?: string; email?: string; phone?: string; identities?: Array<{ type: never; value: string }> } = {}) {
      const customer = await domain.customers.register(principal, { displayName: 'Test', channel: Channel.EC, identities: [], ...input });
      return customer.id;
    },
    /** The payloads of the events of a type in the outbox, oldest first. */
    async events<T extends EventType>(type: T): Promise<Array<EventPayloads[T]>> {
      const rows = await db.manager.getRepository(OutboxEventRow).find({ where: { type }, order: { seq: 'ASC' } });
      return rows.map((r) => JSON.parse(r.payload) as EventPayloads[T]);
    },
    async close() {
      await customers.release();
      await platform.close();
      await dropDatabase(config, 'customers');
      fs.rmSync(config.dataDir, { recursive: true, force: true });
    },
  };
}

/** The userError code a domain call ends with, or 'OK'; other errors give their extensions' code and reason. */
export async function outcomeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
    return 'OK';
  } catch (err) {
    if (err instanceof UserErrorException) return err.code;
    const extensions = (err as { extensions?: { code?: string; reason?: string } }).extensions;
    if (extensions?.code) return [extensions.code, extensions.reason].filter(Boolean).join(':');
    throw err;
  }
}
