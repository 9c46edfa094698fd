import { IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { requireAtLocation, Rule } from '../../../../shared/auth/auth-checker';
import { UserError, withUserErrors } from '../../../../shared/graphql/user-error';
import type { CustomersContext } from '../context';
import { Customer } from '../customer/customer.entity';
import { IdentityInput } from '../../../../shared/graphql/identity';
import { Location, locationRef } from '../stubs/stubs';
import { CheckInMethod, Presence } from './presence.entity';

@InputType({
  description: 'A check-in; give at most one of customerId and identity (e.g. the app install). A signed-in customer who gives neither checks themselves in.',
})
export class CheckInInput {
  @Field(() => ID, { nullable: true, description: 'Who checks in (default: the signed-in customer).' })
  customerId?: string;

  @IsOptional()
  @ValidateNested()
  @Field(() => IdentityInput, {
    nullable: true,
    description:
      'Who checks in, by a key (an APP_INSTALL, a MEMBER_CARD shown to staff); only a verified key (or a DEVICE) names its owner. Staff who see contact details masked may not name an EMAIL or PHONE (CONTACT_IDENTITY_NOT_ALLOWED): they give customerId.',
  })
  identity?: IdentityInput;

  @MaxLength(36)
  @Field(() => ID, { description: 'The store (the app finds it with locationByBeacon); a warehouse is NOT_A_STORE.' })
  locationId!: string;

  @Field(() => CheckInMethod, { description: 'How the check-in was detected.' })
  method!: CheckInMethod;

  @IsOptional()
  @MaxLength(100)
  @Field({ nullable: true, description: "The beacon heard: required for BEACON, and one of the store's own (BEACON_NOT_AT_LOCATION otherwise)." })
  beaconId?: string;
}

@ObjectType({ description: 'The result of a check-in.' })
export class CheckInPayload {
  @Field(() => Presence, { nullable: true, description: 'The presence it started.' })
  presence?: Presence | null;

  @Field(() => Customer, { nullable: true, description: 'Who checked in.' })
  customer?: Customer | null;

  @Field(() => [UserError], {
    description:
      'Why nothing was recorded (INVALID_SUBJECT, UNKNOWN_CUSTOMER, FORBIDDEN_SUBJECT, CONTACT_IDENTITY_NOT_ALLOWED, OTHER_LOCATION, INVALID_REFERENCE, UNKNOWN_LOCATION, NOT_A_STORE, MISSING_BEACON, BEACON_NOT_AT_LOCATION).',
  })
  userErrors!: UserError[];
}

/** Customers listed by customersInStore at most. */
const MAX_PRESENT = 100;

@Resolver(() => Presence)
export class PresenceResolver {
  @Authorized(Rule.STORE_ORDERS)
  @Query(() => [Customer], {
    description: `Who is in a store now (a check-in that has not expired), the latest check-in first: store staff (their store), support, admins. At most ${MAX_PRESENT}.`,
  })
  async customersInStore(
    @Arg('locationId', () => ID, { description: 'The store.' }) locationId: string,
    @Ctx() ctx: CustomersContext,
    @Arg('first', () => Int, { nullable: true, description: `How many (1-${MAX_PRESENT}, default 50).` }) first?: number,
  ) {
    requireAtLocation(ctx.principal, locationId);
    const present = await ctx.domain.presence.presentAt(locationId, Math.min(Math.max(first ?? 50, 1), MAX_PRESENT));
    const customers = await ctx.loaders.customerById.loadMany(present.map((p) => p.customerId));
    // A presence outlives nothing: merged-away ids resolve to the survivor, erased customers drop out.
    const seen = new Set<string>();
    return customers.filter((c): c is Customer => c instanceof Customer && c.erasedAt === null && !seen.has(c.id) && !!seen.add(c.id));
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CheckInPayload, {
    description: 'Records that a customer is in a store (the customer themselves, or staff at their store); also a STORE_CHECK_IN touchpoint.',
  })
  checkIn(@Arg('input', () => CheckInInput, { description: 'Who, where, how.' }) input: CheckInInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      const presence = await ctx.domain.presence.checkIn(ctx.principal, input);
      return { presence, customer: await ctx.loaders.customerById.load(presence.customerId) };
    });
  }

  @FieldResolver(() => Location, { nullable: true, description: 'The store (from inventory: null, with an UNAVAILABLE error, while it cannot answer).' })
  location(@Root() presence: Presence) {
    return locationRef(presence.locationId);
  }
}

@Resolver(() => Customer)
export class CustomerPresenceResolver {
  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => Presence, { nullable: true, description: 'The store the customer is in now; null when not in a store (or the check-in expired).' })
  presence(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.presenceByCustomerId.load(customer.id);
  }
}
