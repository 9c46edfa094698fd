import { In, type EntityManager } from 'typeorm';
import type { EventEnvelope } from '../../../../shared/events/envelope';
import { isEvent } from '../../../../shared/events/envelope';
import type { CustomerLinks } from '../../../../shared/events/customer-links';
import type { ChannelCode } from '../../../../shared/events/catalog';
import { CartLineRow, CartMergeMoveRow, CartRow, CartStatus } from './cart.entity';
import type { CartService } from './cart.service';

/**
 * What the customers service's merges, unmerges and erasures mean for carts: a merge moves the
 * merged-away customer's cart lines into the survivor's cart (remembering what it moved), an unmerge
 * moves them back and opens her cart again, an erasure deletes the person's carts.
 */
export class CartLinks {
  constructor(
    private readonly carts: CartService,
    private readonly customerLinks: CustomerLinks,
  ) {}

  async apply(manager: EntityManager, events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (isEvent(event, 'customer.erased')) await this.erased(manager, [event.payload.customerId, ...event.payload.erasedIds]);
      // The merge map first: the survivor may itself have been merged away since.
      await this.customerLinks.apply(manager, [event]);
      if (isEvent(event, 'customer.merged')) await this.merged(manager, event.payload.mergeId, event.payload.mergedId);
      if (isEvent(event, 'customer.unmerged')) {
        const { mergeId, mergedId, survivorId, holderId } = event.payload;
        await this.unmerged(manager, mergeId, mergedId, holderId ?? survivorId);
      }
    }
  }

  private async merged(manager: EntityManager, mergeId: string, mergedId: string): Promise<void> {
    const from = await manager.getRepository(CartRow).findOneBy({ activeCustomerId: mergedId });
    if (!from) return;
    const root = (await this.customerLinks.rootsOf([mergedId], manager)).get(mergedId)!;
    await manager.getRepository(CartRow).update({ id: from.id }, { status: CartStatus.MERGED, activeCustomerId: null });
    const moving = await manager.getRepository(CartLineRow).findBy({ cartId: from.id });
    if (!moving.length) return;
    const into = await this.carts.activeCartIn(manager, root, from.lastChannel as ChannelCode);
    const current = await manager.getRepository(CartLineRow).findBy({ cartId: into.id });
    // Stock is checked at checkout (a line then says QUANTITY_REDUCED): a merge is not the shopper's doing.
    const moved = await this.carts.mergeInto(manager, into, current, moving, () => Number.MAX_SAFE_INTEGER);
    await manager.getRepository(CartLineRow).delete({ cartId: from.id });
    await manager.getRepository(CartMergeMoveRow).insert(
      moving
        .filter((line) => moved.has(line.variantId))
        .map((line) => ({ mergeId, variantId: line.variantId, productId: line.productId, fromCartId: from.id, quantity: moved.get(line.variantId)! })),
    );
    await this.carts.touched(manager, into, into.lastChannel as ChannelCode, []);
  }

  private async unmerged(manager: EntityManager, mergeId: string, mergedId: string, holderId: string): Promise<void> {
    const moves = await manager.getRepository(CartMergeMoveRow).findBy({ mergeId });
    if (!moves.length) return;
    const from = await manager.getRepository(CartRow).findOneBy({ id: moves[0].fromCartId });
    // The lines went into the survivor's cart, which is now the cart of whoever holds the survivor's records.
    const holderRoot = (await this.customerLinks.rootsOf([holderId], manager)).get(holderId)!;
    const holder = await manager.getRepository(CartRow).findOneBy({ activeCustomerId: holderRoot });
    if (holder) {
      const lines = await manager.getRepository(CartLineRow).findBy({ cartId: holder.id });
      for (const move of moves) {
        const line = lines.find((l) => l.variantId === move.variantId);
        if (!line) continue;
        const left = line.quantity - Math.min(line.quantity, move.quantity);
        if (left) await manager.getRepository(CartLineRow).update({ id: line.id }, { quantity: left });
        else await manager.getRepository(CartLineRow).delete({ id: line.id });
      }
      await this.carts.touched(manager, holder, holder.lastChannel as ChannelCode, []);
    }
    if (from && from.status === CartStatus.MERGED) {
      const reopened = await manager.getRepository(CartRow).findOneBy({ activeCustomerId: mergedId });
      const target = reopened ?? from;
      if (!reopened) await manager.getRepository(CartRow).update({ id: from.id }, { status: CartStatus.ACTIVE, activeCustomerId: mergedId, customerId: mergedId });
      target.customerId = mergedId;
      const current = await manager.getRepository(CartLineRow).findBy({ cartId: target.id });
      await this.carts.mergeInto(manager, target, current, moves, () => Number.MAX_SAFE_INTEGER);
      await this.carts.touched(manager, target, target.lastChannel as ChannelCode, []);
    }
    await manager.getRepository(CartMergeMoveRow).delete({ mergeId });
  }

  private async erased(manager: EntityManager, customerIds: string[]): Promise<void> {
    const carts = await manager.getRepository(CartRow).findBy({ customerId: In(customerIds) });
    const ids = carts.map((c) => c.id);
    if (!ids.length) return;
    await manager.getRepository(CartLineRow).delete({ cartId: In(ids) });
    await manager.getRepository(CartMergeMoveRow).delete({ fromCartId: In(ids) });
    await manager.getRepository(CartRow).delete({ id: In(ids) });
  }
}
