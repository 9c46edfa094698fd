import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Principal } from '../../../../shared/auth/principal';
import { insertMany } from '../../../../shared/db/batch';
import { WriteConflict, type Database } from '../../../../shared/db/database';
import type { Outbox } from '../../../../shared/events/outbox';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { actorLabel, type StockLedger, type StockMove } from '../stock/stock-ledger';
import { StockDiscrepancy, StockDiscrepancyKind } from '../stock/stock.entity';
import { ReservationStatus, StockReservation, StockReservationLine } from './reservation.entity';

/** A line of an order that its stock did not cover: `short` of `quantity` units were not taken. */
export interface ShortLine {
  variantId: string;
  productId: string;
  quantity: number;
  short: number;
}

/**
 * An order's stock, taken through the reservation that held it (ARCHITECTURE.md, "Orders and stock
 * across a failure"). The orders service's synchronous commit is the fast path; `order.placed` is the
 * guarantee. Both end here, and settle a reservation once, whatever its state: an open hold is
 * committed even after its time has passed (the order exists), a lapsed or released one takes its
 * units again where they are still free, and what is gone is recorded as a stock discrepancy of kind
 * ORDER_SHORTAGE and told to the orders service (`stock.shortage`). A cancellation puts back what was
 * taken, by this record, and nothing else.
 */
export class OrderStock {
  constructor(
    private readonly db: Database,
    private readonly ledger: StockLedger,
    private readonly outbox: Outbox,
  ) {}

  /** The orders service's fast path (commitReservationForOrder), in a transaction of its own. */
  commitForOrder(principal: Principal, reservationId: string, orderId: string, now = new Date()): Promise<StockReservation> {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const settled = await this.settle(manager, { reservationId, orderId }, actorLabel(principal), now);
      if (!settled) throw new UserErrorException('UNKNOWN_RESERVATION', `no reservation ${reservationId}`, ['input', 'reservationId']);
      return settled;
    });
  }

  /**
   * Takes the order's stock out through its reservation, in the caller's transaction; idempotent.
   * Null when inventory has no such reservation.
   */
  async settle(
    manager: EntityManager,
    order: { reservationId: string; orderId: string },
    actor: string,
    now: Date,
  ): Promise<StockReservation | null> {
    const reservation = await this.lock(manager, order.reservationId);
    if (!reservation) return null;
    // Settled already (by the fast path, an earlier delivery, or a cancellation that came first).
    if (reservation.orderId !== null || reservation.status === ReservationStatus.CANCELLED) return this.withLines(manager, reservation);
    await this.withLines(manager, reservation);
    const origin = { actor, occurredAt: now };
    if (reservation.status === ReservationStatus.ACTIVE) {
      // Committed whatever the hold's time says: the order exists, and the units are still held for it.
      await this.ledger.apply(manager, reservation.lines.map((line) => move(reservation, line, -line.quantity, -line.quantity, 'RESERVATION_COMMITTED')), origin);
    } else if (reservation.status === ReservationStatus.EXPIRED || reservation.status === ReservationStatus.RELEASED) {
      await this.retake(manager, reservation, order.orderId, origin);
    }
    // Already COMMITTED without an order (commitReservation, or an orders service from before orders were named): named now.
    return this.end(manager, reservation, ReservationStatus.COMMITTED, order.orderId, now);
  }

  /**
   * An order was cancelled: what was taken for it goes back on the shelf (less what it was short), an
   * open hold is let go, and a reservation never settled is closed so that a late `order.placed`
   * takes nothing. In the caller's transaction; idempotent. False when inventory has no such reservation.
   */
  async cancel(manager: EntityManager, order: { reservationId: string; orderId: string }, actor: string, at: Date): Promise<boolean> {
    const reservation = await this.lock(manager, order.reservationId);
    if (!reservation) return false;
    if (reservation.status === ReservationStatus.CANCELLED || (reservation.orderId !== null && reservation.orderId !== order.orderId)) return true;
    await this.withLines(manager, reservation);
    const origin = { actor, occurredAt: at };
    if (reservation.status === ReservationStatus.ACTIVE) {
      const moves = reservation.lines.map((line) => ({ ...move(reservation, line, 0, -line.quantity, 'RESERVATION_RELEASED'), note: `order:${order.orderId} cancelled` }));
      await this.ledger.apply(manager, moves, origin);
    } else if (reservation.status === ReservationStatus.COMMITTED) {
      const taken = reservation.lines.map((l) => ({ variantId: l.variantId, productId: l.productId, quantity: l.quantity - l.quantityShort }));
      await this.ledger.putBack(manager, reservation.locationId, taken, { ...origin, reason: 'CANCEL_RESTOCK', reference: `order:${order.orderId}`, note: `reservation:${reservation.id}` });
    }
    await this.end(manager, reservation, ReservationStatus.CANCELLED, order.orderId, at);
    return true;
  }

  /**
   * A lapsed or released hold: each line takes what is free of its units again (a conditional update),
   * and what is not there is the order's shortage, recorded for staff and told to the orders service.
   */
  private async retake(manager: EntityManager, reservation: StockReservation, orderId: string, origin: { actor: string; occurredAt: Date }): Promise<void> {
    const moves: StockMove[] = [];
    const short: ShortLine[] = [];
    for (const line of reservation.lines) {
      const taken = await this.ledger.takeFree(manager, { locationId: reservation.locationId, variantId: line.variantId, productId: line.productId, quantity: line.quantity }, origin.occurredAt);
      const missing = line.quantity - taken;
      if (taken > 0) {
        moves.push({ ...move(reservation, line, -taken, 0, 'RESERVATION_RETAKEN'), reference: `order:${orderId}`, note: missing ? `needed ${line.quantity}, ${missing} gone` : `reservation:${reservation.id}` });
      }
      if (missing > 0) {
        short.push({ variantId: line.variantId, productId: line.productId, quantity: line.quantity, short: missing });
        line.quantityShort = missing;
        await manager.getRepository(StockReservationLine).update({ reservationId: reservation.id, variantId: line.variantId }, { quantityShort: missing });
      }
    }
    await this.ledger.record(manager, moves, origin);
    if (!short.length) return;
    await insertMany(
      manager,
      StockDiscrepancy,
      short.map((line) =>
        Object.assign(new StockDiscrepancy(), {
          id: randomUUID(),
          kind: StockDiscrepancyKind.ORDER_SHORTAGE,
          locationId: reservation.locationId,
          variantId: line.variantId,
          expectedOnHand: line.quantity - line.short,
          sold: line.quantity,
          orderId,
          occurredAt: reservation.createdAt,
          recordedAt: origin.occurredAt,
        }),
      ),
    );
    await this.outbox.add(manager, [
      {
        type: 'stock.shortage',
        key: orderId,
        occurredAt: origin.occurredAt,
        payload: { orderId, reservationId: reservation.id, locationId: reservation.locationId, recordedAt: origin.occurredAt.toISOString(), lines: short },
      },
    ]);
  }

  /** Moves the reservation to `to` for the order, from the state it was read (and locked) in. */
  private async end(manager: EntityManager, reservation: StockReservation, to: ReservationStatus, orderId: string, at: Date): Promise<StockReservation> {
    const result = await manager
      .createQueryBuilder()
      .update(StockReservation)
      .set({ status: to, orderId, closedAt: reservation.status === to ? reservation.closedAt : at })
      .where('id = :id AND status = :status', { id: reservation.id, status: reservation.status })
      .execute();
    // SQLite runs one transaction at a time and MySQL holds the row: only a bug gets here.
    if (!result.affected) throw new WriteConflict(`reservation ${reservation.id} changed while it was settled`);
    return Object.assign(reservation, { status: to, orderId, closedAt: reservation.status === to ? reservation.closedAt : at });
  }

  /** The reservation, its row locked until the transaction ends (MySQL): every settlement of it waits here. */
  private lock(manager: EntityManager, id: string): Promise<StockReservation | null> {
    return manager.getRepository(StockReservation).findOne({ where: { id }, ...this.db.rowLock('pessimistic_write') });
  }

  private async withLines(manager: EntityManager, reservation: StockReservation): Promise<StockReservation> {
    reservation.lines = await manager.getRepository(StockReservationLine).find({ where: { reservationId: reservation.id }, order: { variantId: 'ASC' } });
    return reservation;
  }
}

function move(
  reservation: StockReservation,
  line: StockReservationLine,
  onHand: number,
  reserved: number,
  reason: StockMove['reason'],
): StockMove {
  return { locationId: reservation.locationId, variantId: line.variantId, productId: line.productId, onHand, reserved, reason, reference: `reservation:${reservation.id}` };
}
