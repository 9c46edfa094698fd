import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { connectionTypes, decodeCursor, pageSize, toConnection } from '../../../../shared/graphql/connection';
import type { CustomersContext } from '../context';
import { Customer } from '../customer/customer.entity';
import { locationRef, Location, Product, productRef } from '../stubs/stubs';
import { TouchpointRow, TouchpointType } from './touchpoint.entity';
import { TrackEventsInput, TrackEventsPayload } from './touchpoint.inputs';

export const { ConnectionType: TouchpointConnection } = connectionTypes('Touchpoint', TouchpointRow, 'touchpoint');

@Resolver(() => TouchpointRow)
export class TouchpointResolver {
  @Authorized(Rule.TRACK)
  @Mutation(() => TrackEventsPayload, {
    description:
      "Keeps behaviour events from any channel: new ones once, redelivered ones reported as duplicates, bad ones rejected alone (products, variants and locations must exist). Anonymous callers send events of a DEVICE id; customers their own. Events of a device someone has claimed join the owner's history only when the owner (signed in) or staff send them; anyone else's are kept without the device, answered alike. Staff who see contact details masked send no event under an EMAIL or PHONE (CONTACT_IDENTITY_NOT_ALLOWED): they give customerId. ADD_TO_CART is refused (RECORDED_BY_CART): the cart records what is added to it, in every channel.",
  })
  trackEvents(@Arg('input', () => TrackEventsInput, { description: 'The batch.' }) input: TrackEventsInput, @Ctx() ctx: CustomersContext) {
    return ctx.domain.touchpoints.track(ctx.principal, input.events);
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The product viewed or put in the cart.' })
  product(@Root() touchpoint: TouchpointRow) {
    return productRef(touchpoint.productId);
  }

  @FieldResolver(() => Location, { nullable: true, description: 'The store checked into.' })
  location(@Root() touchpoint: TouchpointRow) {
    return locationRef(touchpoint.locationId);
  }
}

@Resolver(() => Customer)
export class CustomerTouchpointsResolver {
  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => TouchpointConnection, { description: 'What the customer did in every channel, newest first.' })
  async touchpoints(
    @Root() customer: Customer,
    @Ctx() ctx: CustomersContext,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
    @Arg('types', () => [TouchpointType], { nullable: true, description: 'Only these kinds.' }) types?: TouchpointType[],
  ) {
    const size = pageSize(first);
    const cursor = decodeCursor(after, ['datetime', 'string']);
    const rows = await ctx.loaders.touchpointsOfCustomer.load(
      { limit: size + 1, types: types?.length ? [...types].sort() : null, after: cursor ? { occurredAt: String(cursor[0]), id: String(cursor[1]) } : null },
      customer.id,
    );
    return toConnection(rows, size, (t) => [t.occurredAt.toISOString(), t.id], cursor !== null);
  }
}
