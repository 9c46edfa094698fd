import type { EntityManager } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import type { Database } from '../../../../shared/db/database';
import { upsertRows } from '../../../../shared/db/upsert';
import type { EventEnvelope } from '../../../../shared/events/envelope';
import { Channel } from '../../../../shared/graphql/channel';
import type { Logger } from '../../../../shared/logger';
import type { CustomerDirectory } from '../customer/customer-directory';
import type { SegmentService } from '../segment/segment.service';
import { TouchpointType } from '../touchpoint/touchpoint.entity';
import type { TouchpointService, TrackedEvent } from '../touchpoint/touchpoint.service';
import { CartState } from './cart-state.entity';

/** Whose word the cart's touchpoints are: the carts service's. */
const CARTS: Principal = { kind: 'SERVICE', service: 'carts' };

/** A later changedAt wins (version); an older event changes nothing. */
const STATE_MERGE = { customer_id: 'key', cart_id: 'replace', item_count: 'replace', changed_at: 'version' } as const;

/**
 * The id of the touchpoint of one added line: the event's id and the line's index, so that an event
 * handled twice (a replay, a redelivery after a lost record) keeps each line once.
 */
export function cartAddEventId(envelopeId: string, lineIndex: number): string {
  return `cart:${envelopeId}:${lineIndex}`;
}

/**
 * What customers makes of `cart.changed` (carts' stream): each line a shopper added to a customer's
 * cart is an ADD_TO_CART touchpoint (the only source of those), and the cart's latest state decides
 * CART_ABANDONED. Anonymous carts are none of this service's business; a merged-away customer's cart
 * counts for the survivor, an erased one's for nobody.
 */
export class CartEventsService {
  constructor(
    private readonly db: Database,
    private readonly directory: CustomerDirectory,
    private readonly touchpoints: TouchpointService,
    private readonly segments: SegmentService,
    private readonly logger: Logger,
  ) {}

  /** Handles a batch of `cart.changed` in the consumer's transaction. */
  async recordChanges(manager: EntityManager, events: Array<EventEnvelope<'cart.changed'>>): Promise<void> {
    const owned = events.filter((e) => e.payload.customerId !== null);
    if (!owned.length) return;
    const roots = await this.directory.rootsOf(manager, owned.map((e) => e.payload.customerId!));
    const known = owned.filter((e) => roots.has(e.payload.customerId!));
    if (!known.length) return;
    // A merge or erasure of these customers waits for us, or, committed first, has us start again.
    await this.directory.holdStanding(manager, [...new Set(roots.values())]);

    const latest = new Map<string, { cartId: string; itemCount: number; changedAt: Date }>();
    for (const { payload } of known) {
      const root = roots.get(payload.customerId!)!;
      const changedAt = new Date(payload.changedAt);
      const seen = latest.get(root);
      if (!seen || changedAt >= seen.changedAt) latest.set(root, { cartId: payload.cartId, itemCount: payload.itemCount, changedAt });
    }
    await upsertRows(
      this.db,
      manager,
      manager.getRepository(CartState).metadata.tableName,
      STATE_MERGE,
      [...latest].map(([customerId, s]) => ({ customer_id: customerId, cart_id: s.cartId, item_count: s.itemCount, changed_at: this.db.dateParameter(s.changedAt) })),
    );

    const adds: TrackedEvent[] = known.flatMap(({ id, payload }) =>
      payload.added.map((line, index) => ({
        eventId: cartAddEventId(id, index),
        type: TouchpointType.ADD_TO_CART,
        occurredAt: new Date(payload.changedAt),
        channel: Channel[payload.channel],
        customerId: payload.customerId,
        productId: line.productId,
        variantId: line.variantId,
      })),
    );
    if (adds.length) {
      const { rejected } = await this.touchpoints.recordCartAdds(manager, CARTS, adds);
      if (rejected.length) this.logger.warn({ rejected: rejected.slice(0, 10), count: rejected.length }, 'cart adds not kept as touchpoints');
    }
    await this.segments.refresh(manager, [...latest.keys()]);
  }
}
