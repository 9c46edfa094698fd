import { Arg, Authorized, Ctx, Directive, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { accessDenied, seesCustomer } from '../../../../shared/auth/rules';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import { Channel } from '../../../../shared/graphql/channel';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { CustomersContext } from '../context';
import { IdentityType } from '../../../../shared/graphql/identity';
import { Customer, CustomerIdentity } from './customer.entity';
import { CustomerFilter, CustomerPayload, LinkIdentityInput, RegisterCustomerInput, UnlinkIdentityInput, UpdateCustomerInput } from './customer.inputs';
import { MAX_IDENTITIES_PER_CUSTOMER } from './customer.service';

/** The most identities `Customer.identities` lists, whatever a record holds: the size the gateway's cost model counts. */
const IDENTITIES_LISTED = 50;

export const { ConnectionType: CustomerConnection } = connectionTypes('Customer', Customer, 'customer');

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'The signed-in customer; null for anyone else.' })
  me(@Ctx() ctx: CustomersContext) {
    return ctx.principal.kind === 'CUSTOMER' ? ctx.loaders.customerById.load(ctx.principal.customerId) : null;
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => Customer, { nullable: true, description: 'A customer by id; a merged-away id answers the survivor (staff; partners with customers:read).' })
  async customer(@Arg('id', () => ID, { description: 'Customer id.' }) id: string, @Ctx() ctx: CustomersContext) {
    return visibleTo(ctx, await ctx.loaders.customerById.load(id));
  }

  @Authorized(Rule.CUSTOMER_LOOKUP)
  @Query(() => Customer, {
    nullable: true,
    description:
      'The customer an identity belongs to, the value normalised first (staff; partners with customers:read). Staff who see contact details masked (store staff, marketing) may look up by EMAIL or PHONE a few times a minute (MASKED_LOOKUPS_PER_MINUTE, each alias counting; then RATE_LIMITED with retryAfter), and every such look-up is on the contactReads trail.',
  })
  async customerByIdentity(
    @Arg('type', () => IdentityType, { description: 'Kind of key.' }) type: IdentityType,
    @Arg('value', { description: 'The key as a channel knows it, e.g. 090-1234-5678.' }) value: string,
    @Ctx() ctx: CustomersContext,
  ) {
    const customer = await ctx.domain.contactLookups.guard(
      ctx.principal,
      ctx.requestId,
      type,
      () => ctx.domain.customers.byIdentity(type, value),
      (found) => (found ? [found.id] : []),
    );
    return visibleTo(ctx, customer);
  }

  @Authorized(Rule.CUSTOMER_SEARCH)
  @Query(() => CustomerConnection, {
    description:
      'Standing customers (not merged away or erased) in id order, optionally filtered (staff). A filter by an EMAIL or PHONE identity counts as a look-up (see customerByIdentity).',
  })
  customers(
    @Ctx() ctx: CustomersContext,
    @Arg('filter', () => CustomerFilter, { nullable: true, description: 'Which customers.' }) filter?: CustomerFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    const list = () => ctx.domain.customers.list(filter, pageSize(first), after);
    if (!filter?.identity) return list();
    return ctx.domain.contactLookups.guard(ctx.principal, ctx.requestId, filter.identity.type, list, (page) => page.edges.map((e) => e.node.id));
  }

  @Authorized(Rule.SERVICE)
  @Directive('@inaccessible')
  @Query(() => ID, {
    nullable: true,
    description:
      'The customer a sign-in subject names (a customer id or a verified EC_ACCOUNT); null when it names nobody (the subject may register). For the gateway only.',
  })
  customerIdOfSubject(@Arg('subject', { description: 'The JWT subject.' }) subject: string, @Ctx() ctx: CustomersContext) {
    return ctx.domain.customers.customerIdOfSubject(subject);
  }

  @Authorized(Rule.REGISTER)
  @Mutation(() => CustomerPayload, {
    description:
      "Registers a customer (sign-up, or staff at a till). The identities given, and the e-mail address and phone number as EMAIL and PHONE identities, are linked: verified when staff register, unverified for an anonymous sign-up. Signed in with the identity provider as a subject that names nobody yet, the subject is linked as the customer's verified EC_ACCOUNT (their sign-in from then on); an EC_ACCOUNT in the input from anyone but support is EC_ACCOUNT_NOT_ALLOWED. An identity of someone else (also the e-mail address or phone number) is IDENTITY_TAKEN, except an unverified one that gives way: an address or number another customer only typed in for themselves moves to the new customer, and a verified key given by staff moves from an unverified holder. At most 20 identities (IDENTITY_LIMIT_REACHED). E-mail addresses and phone numbers given by staff who see them masked count as look-ups (MASKED_LOOKUPS_PER_MINUTE, audited).",
  })
  registerCustomer(@Arg('input', () => RegisterCustomerInput, { description: 'The new customer.' }) input: RegisterCustomerInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      const customer = await ctx.domain.customers.register(ctx.principal, {
        displayName: input.displayName,
        displayNameKana: input.displayNameKana,
        email: input.email,
        phone: input.phone,
        channel: input.channel ?? Channel.EC,
        identities: input.identities ?? [],
      });
      return payloadFor(ctx, customer);
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CustomerPayload, {
    description:
      "Changes a customer's profile (the customer themselves, or staff). A new e-mail address or phone number also becomes an unverified EMAIL or PHONE identity; one of someone else is IDENTITY_TAKEN, and beyond 20 identities IDENTITY_LIMIT_REACHED. Each address or number given counts: for staff who see them masked as a look-up (MASKED_LOOKUPS_PER_MINUTE, audited), for a customer against CONTACT_LINKS_PER_HOUR (those already theirs aside); past it RATE_LIMITED.",
  })
  updateCustomer(@Arg('input', () => UpdateCustomerInput, { description: 'The changes.' }) input: UpdateCustomerInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      const { customerId, ...changes } = input;
      await ctx.checkSelf(customerId);
      return payloadFor(ctx, await ctx.domain.customers.update(ctx.principal, customerId, changes));
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CustomerPayload, {
    description:
      'Links an identity to a customer. What was recorded under it alone (behaviour, card-only store sales) joins their history only when the link is verified: by staff who checked it, or a service (a DEVICE key: always). A key a customer links themselves stays unverified until staff verify it. An EC_ACCOUNT, which signs its owner in, only support or a service may link (EC_ACCOUNT_NOT_ALLOWED otherwise). Linking it again does nothing (or verifies it); an identity of someone else is IDENTITY_TAKEN, unless their link is unverified and this one verified: then it moves here (an unverified claim does not keep the owner out). At most 20 identities a customer (IDENTITY_LIMIT_REACHED). An EMAIL or PHONE counts: for staff who see them masked as a look-up (MASKED_LOOKUPS_PER_MINUTE, audited), for a customer against CONTACT_LINKS_PER_HOUR (those already theirs aside); past it RATE_LIMITED.',
  })
  linkIdentity(@Arg('input', () => LinkIdentityInput, { description: 'Customer and identity.' }) input: LinkIdentityInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      await ctx.checkSelf(input.customerId);
      const channel = ctx.principal.kind === 'STAFF' ? Channel.STORE : Channel.EC;
      return payloadFor(ctx, await ctx.domain.customers.link(ctx.principal, input.customerId, input.identity, input.verified ?? undefined, channel));
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => CustomerPayload, {
    description:
      'Unlinks an identity from a customer; what it brought stays (IDENTITY_NOT_LINKED if it was not theirs). An EMAIL or PHONE counts: for staff who see them masked as a look-up (MASKED_LOOKUPS_PER_MINUTE, audited), for a customer against CONTACT_LINKS_PER_HOUR (those theirs aside); past it RATE_LIMITED.',
  })
  unlinkIdentity(@Arg('input', () => UnlinkIdentityInput, { description: 'Customer and identity.' }) input: UnlinkIdentityInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => {
      await ctx.checkSelf(input.customerId);
      return payloadFor(ctx, await ctx.domain.customers.unlink(ctx.principal, input.customerId, input.identity));
    });
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => String, { nullable: true, description: 'Contact e-mail address (masked for store staff and marketing).' })
  email(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(customer.id, 'email', customer.email);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => String, { nullable: true, description: 'Contact phone number, E.164 (masked for store staff and marketing).' })
  phone(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(customer.id, 'phone', customer.phone);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [CustomerIdentity], {
    description: `Every key by which a channel knows this customer, oldest link first: at most ${MAX_IDENTITIES_PER_CUSTOMER} (IDENTITY_LIMIT_REACHED beyond), and never more than ${IDENTITIES_LISTED} listed (records from before the limit).`,
  })
  async identities(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return (await ctx.loaders.identitiesByCustomerId.load(customer.id)).slice(0, IDENTITIES_LISTED);
  }

  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [ID], { description: 'Ids merged into this customer (directly or through chains); each resolves to this customer.' })
  mergedIds(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.mergedIdsByCustomerId.load(customer.id);
  }
}

@Resolver(() => CustomerIdentity)
export class CustomerIdentityResolver {
  @FieldResolver(() => String, {
    description: 'The key, normalised (lower-case e-mail, E.164 phone, ...); e-mail and phone masked for store staff and marketing.',
  })
  value(@Root() identity: CustomerIdentity, @Ctx() ctx: CustomersContext) {
    if (identity.type === IdentityType.EMAIL) return ctx.contacts.show(identity.customerId, 'identities.EMAIL', identity.value);
    if (identity.type === IdentityType.PHONE) return ctx.contacts.show(identity.customerId, 'identities.PHONE', identity.value);
    return identity.value;
  }
}

/**
 * A payload with the customer's id for whoever made the change, and the customer only for a caller who
 * may read them: an anonymous sign-up gets the new id, and reads the rest once signed in.
 */
function payloadFor(ctx: CustomersContext, customer: Customer): { customer: Customer | null; customerId: string } {
  return { customer: seesCustomer(ctx.principal, customer.id) ? customer : null, customerId: customer.id };
}

/**
 * A partner learns nothing of a customer who has not let partners see their data, not even that they
 * exist: such a customer and an unknown id are refused alike.
 */
async function visibleTo(ctx: CustomersContext, customer: Customer | null): Promise<Customer | null> {
  if (ctx.principal.kind === 'PARTNER' && !(customer && (await ctx.loaders.sharesWithPartners.load(customer.id)))) {
    throw accessDenied(ctx.principal, 'this customer');
  }
  return customer;
}
