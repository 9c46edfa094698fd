import { randomUUID } from 'node:crypto';
import type { Principal } from '../../../shared/auth/principal';
import type { EventPayloads, EventType } from '../../../shared/events/catalog';
import { OutboxEventRow } from '../../../shared/events/outbox.entity';
import { Channel } from '../../../shared/graphql/channel';
import { testConfig } from '../../../shared/testkit';
import { openTestSubgraph, outcomeOf as userErrorOf } from '../../../shared/testkit/subgraph';
import { customersSubgraph } from './definition';

export const SUPPORT: Principal = { kind: 'STAFF', staffId: 'agent-1', role: 'SUPPORT' };
export const CLERK: Principal = { kind: 'STAFF', staffId: 'clerk-1', role: 'STORE_STAFF', locationId: 'store-1' };
export const ANONYMOUS: Principal = { kind: 'ANONYMOUS' };

/** For integration tests: the customers subgraph alone, on its own database (and Redis when configured). */
export async function openTestCustomers(overrides: Record<string, string> = {}) {
  const { config, platform, subgraph: customers, close } = await openTestSubgraph(customersSubgraph, testConfig(overrides));
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
    close,
  };
}

/** The userError code a domain call ends with, or 'OK'; other errors give their extensions' code and reason. */
export async function outcomeOf(work: Promise<unknown>): Promise<string> {
  try {
    return await userErrorOf(work);
  } catch (err) {
    const extensions = (err as { extensions?: { code?: string; reason?: string } }).extensions;
    if (extensions?.code) return [extensions.code, extensions.reason].filter(Boolean).join(':');
    throw err;
  }
}
