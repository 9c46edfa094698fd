import { In, IsNull, LessThan } from 'typeorm';
import type { Database } from '../../../../shared/db/database';
import { CartLineRow, CartRow, CartStatus } from './cart.entity';

const DAY_MS = 24 * 3600 * 1000;
const CARTS_PER_RUN = 1000;

/** Anonymous carts idle longer than CART_ANONYMOUS_IDLE_DAYS expire and lose their lines; customers' carts are kept. */
export class CartExpiry {
  constructor(
    private readonly db: Database,
    private readonly idleDays: number,
  ) {}

  /** Expires what is due, a thousand carts per transaction; returns how many. */
  async run(now = new Date()): Promise<number> {
    let expired = 0;
    for (;;) {
      const due = await this.db.manager.getRepository(CartRow).find({
        select: { id: true },
        where: { status: CartStatus.ACTIVE, customerId: IsNull(), updatedAt: LessThan(new Date(now.getTime() - this.idleDays * DAY_MS)) },
        take: CARTS_PER_RUN,
      });
      if (!due.length) return expired;
      const ids = due.map((c) => c.id);
      await this.db.transaction(async (manager) => {
        // Only carts still idle and anonymous (a shopper may have added a line or claimed it meanwhile).
        const result = await manager
          .createQueryBuilder()
          .update(CartRow)
          .set({ status: CartStatus.EXPIRED })
          .where({ id: In(ids), status: CartStatus.ACTIVE, customerId: IsNull(), updatedAt: LessThan(new Date(now.getTime() - this.idleDays * DAY_MS)) })
          .execute();
        expired += result.affected ?? 0;
        const gone = await manager.getRepository(CartRow).find({ select: { id: true }, where: { id: In(ids), status: CartStatus.EXPIRED } });
        if (gone.length) await manager.getRepository(CartLineRow).delete({ cartId: In(gone.map((c) => c.id)) });
      });
      if (due.length < CARTS_PER_RUN) return expired;
    }
  }
}
