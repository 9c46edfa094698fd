import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { requireAtLocation } from '../../../../shared/auth/auth-checker';
import type { Principal } from '../../../../shared/auth/principal';
import { MAX_LINE_QUANTITY } from '../../../../shared/bounds';
import { insertMany } from '../../../../shared/db/batch';
import type { Database } from '../../../../shared/db/database';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import { variantPrice } from '../product/product.service';
import { actorLabel, type MovementReason, type StockLedger, type StockMove } from '../stock/stock-ledger';
import type { StockSubjects } from '../stock/stock-subjects';
import { ReservationStatus, StockReservation, StockReservationLine } from './reservation.entity';
import type { ReserveStockInput } from './reservation.inputs';

export const DEFAULT_TTL_SECONDS = 15 * 60;
export const MAX_TTL_SECONDS = 24 * 3600;
/** Units of one reservation line, as of any line of goods sold (shared/bounds.ts). */
export const MAX_RESERVED_QUANTITY = MAX_LINE_QUANTITY;
/** Reservations the sweeper releases per round trip. */
const SWEEP_BATCH = 200;
const SWEEPER_ACTOR = 'SERVICE:inventory';

/** How a reservation ends here (an order's cancellation ends it in OrderStock), and what that does to its units. */
type Ending = ReservationStatus.COMMITTED | ReservationStatus.RELEASED | ReservationStatus.EXPIRED;
const ENDINGS: Record<Ending, { reason: MovementReason; takesOnHand: boolean }> = {
  [ReservationStatus.COMMITTED]: { reason: 'RESERVATION_COMMITTED', takesOnHand: true },
  [ReservationStatus.RELEASED]: { reason: 'RESERVATION_RELEASED', takesOnHand: false },
  [ReservationStatus.EXPIRED]: { reason: 'RESERVATION_EXPIRED', takesOnHand: false },
};

/**
 * Reservations: units held for an order being placed (reserve → create order → commit; release on
 * failure). Holding raises `reserved` by conditional updates, so `available` never goes below zero.
 */
export class ReservationService {
  constructor(
    private readonly db: Database,
    private readonly ledger: StockLedger,
    private readonly subjects: StockSubjects,
  ) {}

  /**
   * Holds every line or none; the same idempotency key again answers with the first reservation, held
   * again (every line or none) if it had lapsed or been released before any order took it.
   */
  async reserve(principal: Principal, input: ReserveStockInput, now = new Date()): Promise<StockReservation> {
    requireAtLocation(principal, input.locationId);
    const actor = actorLabel(principal);
    const ttl = input.ttlSeconds ?? DEFAULT_TTL_SECONDS;
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > MAX_TTL_SECONDS) {
      throw new UserErrorException('INVALID_TTL', `ttlSeconds must be between 1 and ${MAX_TTL_SECONDS}`, ['input', 'ttlSeconds']);
    }
    const expiresAt = new Date(now.getTime() + ttl * 1000);
    // A retry gets its first answer even if the catalog or the stock has changed since.
    const earlier = await this.byKey(this.db.manager, input.idempotencyKey);
    if (earlier) return this.holdAgainIfLapsed(this.sameRequest(earlier, input, actor), input, actor, now, expiresAt);
    await this.subjects.location(input.locationId, ['input', 'locationId']);
    const lines = await this.subjects.lines(input.lines, ['input', 'lines'], MAX_RESERVED_QUANTITY);
    const reserved = await this.db.transactionRetryingConflicts(async (manager) => {
      // A concurrent retry may have committed meanwhile (this runs again after its duplicate key).
      const twin = await this.byKey(manager, input.idempotencyKey);
      if (twin) return this.sameRequest(twin, input, actor);
      const reservation = Object.assign(new StockReservation(), {
        id: randomUUID(),
        idempotencyKey: input.idempotencyKey,
        locationId: input.locationId,
        status: ReservationStatus.ACTIVE,
        actor,
        createdAt: now,
        expiresAt,
        closedAt: null,
        orderId: null,
      });
      // First, so that a concurrent twin waits on the unique key instead of holding stock too.
      await insertMany(manager, StockReservation, [reservation]);
      const byVariant = new Map<string, StockReservationLine>();
      const moves: StockMove[] = [];
      for (const line of lines) {
        const held = byVariant.get(line.variant.id);
        if (held) held.quantity += line.quantity;
        else {
          byVariant.set(
            line.variant.id,
            Object.assign(new StockReservationLine(), {
              reservationId: reservation.id,
              variantId: line.variant.id,
              productId: line.product.id,
              quantity: line.quantity,
              unitPrice: variantPrice(line.variant, line.product),
              currencyCode: line.product.currencyCode,
              taxRateBp: line.product.taxRateBp,
              quantityShort: 0,
            }),
          );
        }
        moves.push({
          locationId: input.locationId,
          variantId: line.variant.id,
          productId: line.product.id,
          onHand: 0,
          reserved: line.quantity,
          reason: 'RESERVED',
          reference: `reservation:${reservation.id}`,
          field: [...line.field, 'quantity'],
        });
      }
      await this.ledger.apply(manager, moves, { actor, occurredAt: now });
      reservation.lines = [...byVariant.values()];
      await insertMany(manager, StockReservationLine, reservation.lines);
      return reservation;
    });
    return this.holdAgainIfLapsed(reserved, input, actor, now, expiresAt);
  }

  /**
   * A retry of a reservation that lapsed or was released before any order took it holds its lines
   * again until `expiresAt` (every line or none: INSUFFICIENT_STOCK otherwise), so that a request
   * retried after its hold ran out gets stock again, or a clear refusal, never a dead reservation.
   */
  private async holdAgainIfLapsed(
    reservation: StockReservation,
    input: ReserveStockInput,
    actor: string,
    now: Date,
    expiresAt: Date,
  ): Promise<StockReservation> {
    if (reservation.status !== ReservationStatus.EXPIRED && reservation.status !== ReservationStatus.RELEASED) return reservation;
    if (reservation.orderId !== null) return reservation;
    return this.db.transactionRetryingConflicts(async (manager) => {
      const renewed = await manager
        .createQueryBuilder()
        .update(StockReservation)
        .set({ status: ReservationStatus.ACTIVE, expiresAt, closedAt: null })
        .where('id = :id AND status IN (:...lapsed) AND order_id IS NULL', { id: reservation.id, lapsed: [ReservationStatus.EXPIRED, ReservationStatus.RELEASED] })
        .execute();
      // Held again, taken by an order or cancelled by a concurrent call meanwhile: as it now stands.
      if (!renewed.affected) return this.withLines(manager, await this.find(manager, reservation.id));
      const lineOf = (variantId: string) => String(input.lines.findIndex((l) => l.variantId === variantId));
      await this.ledger.apply(
        manager,
        reservation.lines.map((line) => ({
          locationId: reservation.locationId,
          variantId: line.variantId,
          productId: line.productId,
          onHand: 0,
          reserved: line.quantity,
          reason: 'RESERVED' as const,
          reference: `reservation:${reservation.id}`,
          note: 'held again',
          field: ['input', 'lines', lineOf(line.variantId), 'quantity'],
        })),
        { actor, occurredAt: now },
      );
      return this.withLines(manager, await this.find(manager, reservation.id));
    });
  }

  /** Takes the held units out of on hand. Committing again answers with the committed reservation. */
  commit(principal: Principal, reservationId: string, now = new Date()): Promise<StockReservation> {
    return this.end(principal, reservationId, ReservationStatus.COMMITTED, now);
  }

  /** Makes the held units available again. Releasing a released or expired reservation changes nothing. */
  release(principal: Principal, reservationId: string, now = new Date()): Promise<StockReservation> {
    return this.end(principal, reservationId, ReservationStatus.RELEASED, now);
  }

  /** Releases every active reservation whose time has passed; returns how many. Run by a timer. */
  async sweepExpired(now = new Date()): Promise<number> {
    let released = 0;
    for (;;) {
      const due = await this.db.manager
        .getRepository(StockReservation)
        .createQueryBuilder('r')
        .select(['r.id', 'r.locationId'])
        .where('r.status = :active AND r.expires_at <= :now', { active: ReservationStatus.ACTIVE, now: this.db.dateParameter(now) })
        .orderBy('r.expires_at')
        .take(SWEEP_BATCH)
        .getMany();
      for (const reservation of due) {
        const ended = await this.db.transactionRetryingConflicts((manager) =>
          this.close(manager, reservation, ReservationStatus.EXPIRED, SWEEPER_ACTOR, now),
        );
        if (ended) released++;
      }
      if (due.length < SWEEP_BATCH) return released;
    }
  }

  private end(principal: Principal, reservationId: string, to: ReservationStatus.COMMITTED | ReservationStatus.RELEASED, now: Date) {
    return this.db.transactionRetryingConflicts(async (manager) => {
      const reservation = await this.find(manager, reservationId);
      requireAtLocation(principal, reservation.locationId);
      if (!(await this.close(manager, reservation, to, actorLabel(principal), now))) {
        // Someone else ended it first (or it had lapsed): say how it stands.
        const current = await this.find(manager, reservationId);
        refuseEnding(current, to, now);
        return this.withLines(manager, current);
      }
      return this.withLines(manager, await this.find(manager, reservationId));
    });
  }

  /**
   * Ends an active reservation (conditionally: a concurrent ending wins once) and moves its units;
   * false when it was not active, or (committing) had lapsed, or (expiring) has not yet.
   */
  private async close(
    manager: EntityManager,
    reservation: Pick<StockReservation, 'id' | 'locationId'>,
    to: Ending,
    actor: string,
    now: Date,
  ): Promise<boolean> {
    const timing = { [ReservationStatus.COMMITTED]: ' AND expires_at > :now', [ReservationStatus.EXPIRED]: ' AND expires_at <= :now', [ReservationStatus.RELEASED]: '' }[to];
    const result = await manager
      .createQueryBuilder()
      .update(StockReservation)
      .set({ status: to, closedAt: now })
      .where(`id = :id AND status = :active${timing}`, { id: reservation.id, active: ReservationStatus.ACTIVE, now: this.db.dateParameter(now) })
      .execute();
    if (!result.affected) return false;
    const { reason, takesOnHand } = ENDINGS[to];
    const lines = await manager.getRepository(StockReservationLine).findBy({ reservationId: reservation.id });
    await this.ledger.apply(
      manager,
      lines.map((line) => ({
        locationId: reservation.locationId,
        variantId: line.variantId,
        productId: line.productId,
        onHand: takesOnHand ? -line.quantity : 0,
        reserved: -line.quantity,
        reason,
        reference: `reservation:${reservation.id}`,
      })),
      { actor, occurredAt: now },
    );
    return true;
  }

  private async find(manager: EntityManager, id: string): Promise<StockReservation> {
    const reservation = await manager.getRepository(StockReservation).findOneBy({ id });
    if (!reservation) throw new UserErrorException('UNKNOWN_RESERVATION', `no reservation ${id}`, ['input', 'reservationId']);
    return reservation;
  }

  private async byKey(manager: EntityManager, idempotencyKey: string): Promise<StockReservation | null> {
    const reservation = await manager.getRepository(StockReservation).findOneBy({ idempotencyKey });
    return reservation && this.withLines(manager, reservation);
  }

  private async withLines(manager: EntityManager, reservation: StockReservation): Promise<StockReservation> {
    reservation.lines = await manager.getRepository(StockReservationLine).find({
      where: { reservationId: reservation.id },
      order: { variantId: 'ASC' },
    });
    return reservation;
  }

  /** A key names one request: the same caller, location and lines; anything else is a reused key. */
  private sameRequest(reservation: StockReservation, input: ReserveStockInput, actor: string): StockReservation {
    const asked = new Map<string, number>();
    for (const line of input.lines) asked.set(line.variantId, (asked.get(line.variantId) ?? 0) + line.quantity);
    const same =
      reservation.actor === actor &&
      reservation.locationId === input.locationId &&
      reservation.lines.length === asked.size &&
      reservation.lines.every((line) => asked.get(line.variantId) === line.quantity);
    if (!same) {
      throw new UserErrorException('IDEMPOTENCY_KEY_REUSED', 'this idempotency key was used for a different reservation', ['input', 'idempotencyKey']);
    }
    return reservation;
  }
}

/** Why a reservation that is no longer active cannot end as asked; nothing to say when it already has. */
function refuseEnding(reservation: StockReservation, to: ReservationStatus, now: Date): void {
  const { status } = reservation;
  if (status === ReservationStatus.CANCELLED && to === ReservationStatus.COMMITTED) {
    throw new UserErrorException('RESERVATION_CANCELLED', 'the order the reservation was for was cancelled', ['input', 'reservationId']);
  }
  if (to === ReservationStatus.COMMITTED) {
    if (status === ReservationStatus.COMMITTED) return;
    if (status === ReservationStatus.RELEASED) throw new UserErrorException('RESERVATION_RELEASED', 'the reservation was released', ['input', 'reservationId']);
    if (status === ReservationStatus.EXPIRED || reservation.expiresAt <= now) {
      throw new UserErrorException('RESERVATION_EXPIRED', 'the reservation expired before it was committed', ['input', 'reservationId']);
    }
  }
  if (to === ReservationStatus.RELEASED && status === ReservationStatus.COMMITTED) {
    throw new UserErrorException('RESERVATION_COMMITTED', 'the reservation was committed: its units are sold', ['input', 'reservationId']);
  }
}
