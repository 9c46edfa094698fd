import { Arg, Authorized, Ctx, Directive, FieldResolver, Float, Mutation, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Money, money } from '../../../../shared/graphql/money';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { InventoryContext } from '../context';
import { Location } from '../location/location.entity';
import { ProductVariant } from '../product/product.entity';
import { StockReservation, StockReservationLine } from './reservation.entity';
import { CommitReservationForOrderInput, CommitReservationInput, ReleaseReservationInput, ReserveStockInput, StockReservationPayload } from './reservation.inputs';

@Resolver(() => StockReservation)
export class StockReservationResolver {
  @Authorized(Rule.STOCK_CHANGE)
  @Mutation(() => StockReservationPayload, {
    description:
      'Holds units at one location for an order being placed (every line or none), priced by the catalog; ' +
      'lapses after ttlSeconds unless committed. The same idempotencyKey again answers with the same reservation, held again if it had lapsed or been released.',
  })
  reserveStock(@Arg('input', () => ReserveStockInput, { description: 'What to hold, where, for how long.' }) input: ReserveStockInput, @Ctx() ctx: InventoryContext) {
    return withUserErrors(async () => ({ reservation: await ctx.domain.reservations.reserve(ctx.principal, input) }));
  }

  @Authorized(Rule.STOCK_CHANGE)
  @Mutation(() => StockReservationPayload, {
    description: 'Takes the held units out of on hand (the order was placed). Idempotent; a lapsed or released reservation is a userError.',
  })
  commitReservation(@Arg('input', () => CommitReservationInput, { description: 'Which reservation.' }) input: CommitReservationInput, @Ctx() ctx: InventoryContext) {
    return withUserErrors(async () => ({ reservation: await ctx.domain.reservations.commit(ctx.principal, input.reservationId) }));
  }

  @Authorized(Rule.SERVICE)
  @Directive('@inaccessible')
  @Mutation(() => StockReservationPayload, {
    description:
      "For the orders service: takes a placed order's stock out through its reservation, once (idempotent; `order.placed` does the same). " +
      'An open hold is committed even after its time; a lapsed or released one takes the units again where they are free, and what is gone is an ORDER_SHORTAGE discrepancy.',
  })
  commitReservationForOrder(
    @Arg('input', () => CommitReservationForOrderInput, { description: 'The reservation and its order.' }) input: CommitReservationForOrderInput,
    @Ctx() ctx: InventoryContext,
  ) {
    return withUserErrors(async () => ({ reservation: await ctx.domain.orderStock.commitForOrder(ctx.principal, input.reservationId, input.orderId) }));
  }

  @Authorized(Rule.STOCK_CHANGE)
  @Mutation(() => StockReservationPayload, {
    description: 'Makes the held units available again (the order failed or was abandoned). Idempotent; a committed reservation is a userError.',
  })
  releaseReservation(@Arg('input', () => ReleaseReservationInput, { description: 'Which reservation.' }) input: ReleaseReservationInput, @Ctx() ctx: InventoryContext) {
    return withUserErrors(async () => ({ reservation: await ctx.domain.reservations.release(ctx.principal, input.reservationId) }));
  }

  @FieldResolver(() => Location, { nullable: true, description: 'Where the units are held.' })
  location(@Root() reservation: StockReservation, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.locationById.load(reservation.locationId);
  }

  @FieldResolver(() => [StockReservationLine], { description: 'What is held, one line per SKU.' })
  lines(@Root() reservation: StockReservation): StockReservationLine[] {
    return reservation.lines;
  }
}

@Resolver(() => StockReservationLine)
export class StockReservationLineResolver {
  @FieldResolver(() => ProductVariant, { description: 'The SKU.' })
  async variant(@Root() line: StockReservationLine, @Ctx() ctx: InventoryContext) {
    return ctx.loaders.variantById.load(line.variantId);
  }

  @FieldResolver(() => Money, { description: "Tax-inclusive price per unit from the catalog when reserved: what the order charges." })
  unitPrice(@Root() line: StockReservationLine): Money {
    return money(line.unitPrice, line.currencyCode);
  }

  @FieldResolver(() => Float, { description: 'Consumption tax rate included in the price, as a fraction (0.1 = 10 %, 0.08 = the reduced rate).' })
  taxRate(@Root() line: StockReservationLine): number {
    return line.taxRateBp / 10_000;
  }
}
