import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { decodeCursor, toConnection, type Connection } from '../../../../shared/graphql/connection';
import { ContactRead } from './contact-read.entity';

export type NewContactRead = Omit<ContactRead, 'id'>;

export interface ContactReadFilter {
  customerId?: string;
  actorId?: string;
}

/** The trail of unmasked contact reads: written before the details are returned, listed by admins. */
export class ContactAuditService {
  constructor(private readonly db: Database) {}

  async record(reads: NewContactRead[]): Promise<void> {
    await this.db.singleStatement((manager) => insertMany(manager, ContactRead, reads.map((r) => Object.assign(new ContactRead(), r))));
  }

  /** Newest first. */
  async list(filter: ContactReadFilter, first: number, after?: string | null): Promise<Connection<ContactRead>> {
    const cursor = decodeCursor(after, ['number']);
    const qb = this.db.manager.getRepository(ContactRead).createQueryBuilder('r');
    if (filter.customerId) qb.andWhere('r.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.actorId) qb.andWhere('r.actor_id = :actorId', { actorId: filter.actorId });
    if (cursor) qb.andWhere('r.id < :after', { after: cursor[0] });
    const rows = await qb.orderBy('r.id', 'DESC').take(first + 1).getMany();
    return toConnection(rows, first, (r) => [r.id], cursor !== null);
  }
}
