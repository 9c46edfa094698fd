import { Arg, Authorized, Ctx, Directive, Field, ID, InputType, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { JSONObjectScalar } from '../../../../shared/graphql/scalars';
import { UserError, withUserErrors } from '../../../../shared/graphql/user-error';
import type { CustomersContext } from '../context';
import { Customer } from '../customer/customer.entity';

/** The parts of an address shown masked to some roles: the export discloses them in full, and each read is audited. */
const ADDRESS_CONTACTS = ['recipientName', 'line1', 'line2', 'phone'] as const;
type ContactFieldOfAddress = (typeof ADDRESS_CONTACTS)[number];

@InputType({ description: 'Whose personal data to erase.' })
export class EraseCustomerInput {
  @Field(() => ID, { description: 'The customer (with every record merged into them).' })
  customerId!: string;
}

@ObjectType({ description: 'The result of eraseCustomer.' })
export class EraseCustomerPayload {
  @Field(() => Customer, { nullable: true, description: 'The tombstone left for the id.' })
  customer?: Customer | null;

  @Field(() => [UserError], { description: 'Why nothing was erased (NOT_FOUND, CUSTOMER_ERASED).' })
  userErrors!: UserError[];
}

/** An APPI disclosure: each service that holds data about people adds its part (orders adds `orders`). */
@ObjectType({ description: 'Everything held about a person, for an APPI disclosure request: each part is a JSON document.' })
@Directive('@key(fields: "customerId")')
export class CustomerDataExport {
  @Field(() => ID, { description: 'The customer (a merged-away id exports the survivor, with every record merged into it).' })
  customerId!: string;

  @Field({ description: 'When the export was made.' })
  exportedAt!: Date;

  @Field(() => JSONObjectScalar, {
    description:
      'What the customers service holds: profile, merged records, identities, delivery addresses, consents and their history, touchpoints, presence, segments, the last cart change reported by carts (lastCartChange), merge records, reads of the contact details.',
  })
  customers!: Record<string, unknown>;
}

@Resolver()
export class PrivacyResolver {
  @Authorized(Rule.CUSTOMER_CASES)
  @Query(() => CustomerDataExport, { nullable: true, description: 'Everything held about a person, for an APPI disclosure request (support, admins); null for an unknown id.' })
  async exportCustomerData(@Arg('id', () => ID, { description: 'Customer id.' }) id: string, @Ctx() ctx: CustomersContext): Promise<CustomerDataExport | null> {
    const customers = await ctx.domain.privacy.export(id);
    if (!customers) return null;
    // The export discloses contact details in full: each record's read goes on the audit trail.
    const people = [customers.profile, ...(customers.mergedCustomers as unknown[])] as Array<{ id: string; email: string | null; phone: string | null }>;
    for (const person of people) {
      await ctx.contacts.show(person.id, 'email', person.email);
      await ctx.contacts.show(person.id, 'phone', person.phone);
    }
    const addresses = customers.addresses as Array<Record<ContactFieldOfAddress, string | null>>;
    await Promise.all(addresses.flatMap((a) => ADDRESS_CONTACTS.map((f) => ctx.contacts.show(String(customers.customerId), `addresses.${f}`, a[f]))));
    return { customerId: String(customers.customerId), exportedAt: new Date(), customers };
  }

  @Authorized(Rule.ADMIN)
  @Mutation(() => EraseCustomerPayload, {
    description:
      "Erases a person's personal data in every service (admins only; cannot be undone). The id stays as a tombstone; orders stay, anonymised, for accounting.",
  })
  eraseCustomer(@Arg('input', () => EraseCustomerInput, { description: 'Whose data.' }) input: EraseCustomerInput, @Ctx() ctx: CustomersContext) {
    return withUserErrors(async () => ({ customer: await ctx.domain.privacy.erase(input.customerId) }));
  }
}
