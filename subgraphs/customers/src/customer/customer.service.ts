import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { insertMany } from '../../../../shared/db/batch';
import { containsPattern, likeClause } from '../../../../shared/db/like';
import type { Database } from '../../../../shared/db/database';
import type { Outbox } from '../../../../shared/events/outbox';
import { decodeCursor, toConnection, type Connection } from '../../../../shared/graphql/connection';
import type { Channel } from '../../../../shared/graphql/channel';
import type { NewEvent } from '../../../../shared/events/envelope';
import { Customer, CustomerIdentity, IdentityType } from './customer.entity';
import type { CustomerFilter } from './customer.inputs';
import { normalizeEmail, normalizeIdentityValue, normalizePhone } from './identity.normalize';

export interface NewIdentity {
  type: IdentityType;
  value: string;
  verified?: boolean;
  channel: Channel;
  linkedAt?: Date;
}

export interface NewCustomer {
  id?: string;
  displayName: string;
  displayNameKana?: string | null;
  email?: string | null;
  phone?: string | null;
  /** Where the customer registered. */
  channel: Channel;
  createdAt?: Date;
  identities: NewIdentity[];
}

export class CustomerService {
  constructor(private readonly db: Database, private readonly outbox: Outbox) {}

  /**
   * Creates customers with their identities (values normalised) and publishes `customer.registered`
   * and `customer.identity_linked`. A value that already belongs to someone fails the whole batch.
   */
  async registerMany(inputs: NewCustomer[]): Promise<Customer[]> {
    const customers: Customer[] = [];
    const identities: CustomerIdentity[] = [];
    const events: NewEvent[] = [];
    for (const input of inputs) {
      const createdAt = input.createdAt ?? new Date();
      const customer = Object.assign(new Customer(), {
        id: input.id ?? randomUUID(),
        displayName: input.displayName.trim(),
        displayNameKana: input.displayNameKana?.trim() || null,
        email: input.email ? normalizeEmail(input.email) : null,
        phone: input.phone ? normalizePhone(input.phone) : null,
        createdAt,
        updatedAt: createdAt,
      });
      customers.push(customer);
      events.push({ type: 'customer.registered', key: customer.id, occurredAt: createdAt, payload: { customerId: customer.id, channel: input.channel } });
      for (const identity of input.identities) {
        const row = Object.assign(new CustomerIdentity(), {
          customerId: customer.id,
          type: identity.type,
          value: normalizeIdentityValue(identity.type, identity.value),
          verified: identity.verified ?? false,
          channel: identity.channel,
          linkedAt: identity.linkedAt ?? createdAt,
        });
        identities.push(row);
        events.push({
          type: 'customer.identity_linked',
          key: customer.id,
          occurredAt: row.linkedAt,
          payload: { customerId: customer.id, identityType: row.type, identityValue: row.value },
        });
      }
    }
    await this.db.transaction(async (manager) => {
      await insertMany(manager, Customer, customers);
      await insertMany(manager, CustomerIdentity, identities);
      await this.outbox.add(manager, events);
    });
    return customers;
  }

  byIds(ids: readonly string[]): Promise<Customer[]> {
    return this.db.manager.getRepository(Customer).findBy({ id: In([...ids]) });
  }

  identitiesOf(customerIds: readonly string[]): Promise<CustomerIdentity[]> {
    return this.db.manager
      .getRepository(CustomerIdentity)
      .find({ where: { customerId: In([...customerIds]) }, order: { linkedAt: 'ASC', id: 'ASC' } });
  }

  /** The customer an identity belongs to, looked up by its normalised value. */
  async byIdentity(type: IdentityType, value: string): Promise<Customer | null> {
    const identity = await this.db.manager
      .getRepository(CustomerIdentity)
      .findOneBy({ type, value: normalizeIdentityValue(type, value) });
    if (!identity) return null;
    return this.db.manager.getRepository(Customer).findOneBy({ id: identity.customerId });
  }

  /**
   * The customer a sign-in subject names: a customer id, or an EC_ACCOUNT identity of the identity
   * provider. Null when neither is known.
   */
  async customerIdOfSubject(subject: string): Promise<string | null> {
    const customer = await this.db.manager.getRepository(Customer).findOne({ select: { id: true }, where: { id: subject } });
    if (customer) return customer.id;
    const identity = await this.db.manager
      .getRepository(CustomerIdentity)
      .findOneBy({ type: IdentityType.EC_ACCOUNT, value: normalizeIdentityValue(IdentityType.EC_ACCOUNT, subject) });
    return identity?.customerId ?? null;
  }

  /** Customers in id order, optionally those whose name or kana contains a text. */
  async list(filter: CustomerFilter | undefined, first: number, after?: string | null): Promise<Connection<Customer>> {
    const cursor = decodeCursor(after, ['string']);
    const qb = this.db.manager.getRepository(Customer).createQueryBuilder('c');
    if (filter?.name) {
      qb.andWhere(`(${likeClause('c.display_name', 'name')} OR ${likeClause('c.display_name_kana', 'name')})`, {
        name: containsPattern(filter.name),
      });
    }
    if (cursor) qb.andWhere('c.id > :after', { after: cursor[0] });
    const rows = await qb.orderBy('c.id', 'ASC').take(first + 1).getMany();
    return toConnection(rows, first, (c) => [c.id], cursor !== null);
  }
}
