import { randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { validateAddress, type PostalAddress } from '../../../../shared/address';
import type { Principal } from '../../../../shared/auth/principal';
import { WriteConflict, type Database } from '../../../../shared/db/database';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import type { CustomerDirectory } from '../customer/customer-directory';
import { CustomerAddress } from './address.entity';
import { AddressErrorCode, InvalidAddress } from './address.errors';

/** The most addresses a customer keeps (TOO_MANY_ADDRESSES beyond, for a merge of two customers too). */
export const MAX_ADDRESSES_PER_CUSTOMER = 20;

/** An address as a client typed it (AddressInput). */
export interface AddressFields {
  recipientName: string;
  postalCode: string;
  prefecture: string;
  city: string;
  line1: string;
  line2?: string | null;
  phone: string;
}

export interface AddressChanges {
  /** The whole address again, replacing the one kept; left out, it stays. */
  address?: AddressFields | null;
  /** True makes it the default; false hands the default to another address (the only one stays default). */
  isDefault?: boolean | null;
}

/**
 * Customers' delivery addresses: one default while a customer has any (the first added; making one
 * the default un-defaults the others; removing or un-defaulting it promotes the oldest other).
 * Changes lock the customer's row, so concurrent changes (and merges) of one customer run one after
 * the other and never leave two defaults or none.
 */
export class AddressService {
  constructor(
    private readonly db: Database,
    private readonly directory: CustomerDirectory,
  ) {}

  /** Adds an address to a standing customer (a merged-away id: to the survivor). */
  async add(customerId: string, fields: AddressFields, isDefault?: boolean | null): Promise<CustomerAddress> {
    const address = validated(fields);
    return this.db.transactionRetryingConflicts(async (manager) => {
      const customer = await this.directory.standing(manager, customerId, { lock: true });
      const kept = await manager.getRepository(CustomerAddress).find({ select: { id: true }, where: { customerId: customer.id } });
      if (kept.length >= MAX_ADDRESSES_PER_CUSTOMER) {
        throw new UserErrorException(
          AddressErrorCode.TOO_MANY_ADDRESSES,
          `a customer keeps at most ${MAX_ADDRESSES_PER_CUSTOMER} addresses: remove one first`,
          ['input', 'customerId'],
        );
      }
      const now = new Date();
      const row = Object.assign(new CustomerAddress(), {
        id: randomUUID(),
        customerId: customer.id,
        originCustomerId: customer.id,
        ...address,
        isDefault: false,
        createdAt: now,
        updatedAt: now,
      });
      await manager.getRepository(CustomerAddress).insert(row);
      // The first address is the default whatever was asked.
      if (isDefault || !kept.length) await this.makeDefault(manager, customer.id, row.id);
      return (await manager.getRepository(CustomerAddress).findOneBy({ id: row.id }))!;
    });
  }

  /**
   * Replaces an address and/or changes whether it is the default. A customer changes only her own
   * (someone else's is UNKNOWN_ADDRESS, as an unknown id is).
   */
  async update(principal: Principal, addressId: string, changes: AddressChanges): Promise<CustomerAddress> {
    const address = changes.address ? validated(changes.address) : null;
    return this.db.transactionRetryingConflicts(async (manager) => {
      const row = await this.locked(manager, principal, addressId);
      if (address) {
        await manager.getRepository(CustomerAddress).update({ id: row.id }, { ...address, updatedAt: new Date() });
      }
      if (changes.isDefault === true && !row.isDefault) await this.makeDefault(manager, row.customerId, row.id);
      if (changes.isDefault === false && row.isDefault) {
        const next = (await this.ofOne(manager, row.customerId)).find((a) => a.id !== row.id);
        if (next) await this.makeDefault(manager, row.customerId, next.id);
      }
      return (await manager.getRepository(CustomerAddress).findOneBy({ id: row.id }))!;
    });
  }

  /** Removes an address (a customer: only her own); removing the default promotes the oldest other. Returns whose it was. */
  async remove(principal: Principal, addressId: string): Promise<{ customerId: string }> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const row = await this.locked(manager, principal, addressId);
      await manager.getRepository(CustomerAddress).delete({ id: row.id });
      if (row.isDefault) await this.settleDefaults(manager, [row.customerId]);
      return { customerId: row.customerId };
    });
  }

  /** The addresses of these customers, each customer's default first, then in the order they were added. */
  of(customerIds: readonly string[]): Promise<CustomerAddress[]> {
    return this.db.manager.getRepository(CustomerAddress).find({
      where: { customerId: In([...customerIds]) },
      order: { isDefault: 'DESC', createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The customer's default address now (null while she has none), in the caller's transaction. */
  async defaultOf(manager: EntityManager, customerId: string): Promise<string | null> {
    return (await manager.getRepository(CustomerAddress).findOne({ select: { id: true }, where: { customerId, isDefault: true } }))?.id ?? null;
  }

  /**
   * Leaves each of these customers with exactly one default while they have addresses (after a merge or
   * an unmerge moved some): `preferred` if it is theirs, else their current default (the oldest if
   * several), else their oldest address.
   */
  async settleDefaults(manager: EntityManager, customerIds: readonly string[], preferred: ReadonlyMap<string, string | null> = new Map()): Promise<void> {
    if (!customerIds.length) return;
    const rows = await manager.getRepository(CustomerAddress).find({
      select: { id: true, customerId: true, isDefault: true, createdAt: true },
      where: { customerId: In([...customerIds]) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    for (const customerId of new Set(customerIds)) {
      const own = rows.filter((r) => r.customerId === customerId);
      if (!own.length) continue;
      const wanted = own.find((r) => r.id === preferred.get(customerId)) ?? own.find((r) => r.isDefault) ?? own[0];
      const wrong = own.filter((r) => r.isDefault !== (r.id === wanted.id));
      for (const row of wrong) await manager.getRepository(CustomerAddress).update({ id: row.id }, { isDefault: row.id === wanted.id });
    }
  }

  /** Un-defaults the customer's other addresses, then makes this one the default. */
  private async makeDefault(manager: EntityManager, customerId: string, addressId: string): Promise<void> {
    await manager.getRepository(CustomerAddress).update({ customerId, isDefault: true }, { isDefault: false });
    await manager.getRepository(CustomerAddress).update({ id: addressId }, { isDefault: true });
  }

  private ofOne(manager: EntityManager, customerId: string): Promise<CustomerAddress[]> {
    return manager.getRepository(CustomerAddress).find({ where: { customerId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /**
   * The address, with its customer's row locked (a merge that moved it meanwhile: the work starts
   * again). A customer's principal names only her own: anyone else's is UNKNOWN_ADDRESS.
   */
  private async locked(manager: EntityManager, principal: Principal, addressId: string): Promise<CustomerAddress> {
    const unknown = () => new UserErrorException(AddressErrorCode.UNKNOWN_ADDRESS, 'no such address', ['input', 'addressId']);
    const found = await manager.getRepository(CustomerAddress).findOneBy({ id: addressId });
    if (!found || (principal.kind === 'CUSTOMER' && found.customerId !== principal.customerId)) throw unknown();
    const [customer] = await this.directory.lock(manager, [found.customerId]);
    if (!customer || customer.mergedIntoId) throw new WriteConflict('merged meanwhile');
    const row = await manager.getRepository(CustomerAddress).findOneBy({ id: addressId });
    if (!row) throw unknown(); // removed while we waited
    if (row.customerId !== found.customerId) throw new WriteConflict('moved meanwhile');
    return row;
  }
}

/** The address normalised, or InvalidAddress with every problem (paths under input.address). */
function validated(fields: AddressFields): PostalAddress {
  const result = validateAddress(fields);
  if ('problems' in result) {
    throw new InvalidAddress(result.problems.map((p) => ({ field: ['input', 'address', p.field], code: p.code, message: p.message })));
  }
  return { ...result.address, line2: result.address.line2 ?? null };
}
