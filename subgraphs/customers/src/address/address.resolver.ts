import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import type { CustomersContext } from '../context';
import { Customer } from '../customer/customer.entity';
import { CustomerAddress } from './address.entity';
import { withAddressUserErrors } from './address.errors';
import { AddAddressInput, AddressPayload, RemoveAddressInput, RemoveAddressPayload, UpdateAddressInput } from './address.inputs';
import { MAX_ADDRESSES_PER_CUSTOMER } from './address.service';

@Resolver(() => CustomerAddress)
export class AddressResolver {
  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => AddressPayload, {
    description: `Adds a delivery address to a customer (the customer herself, store staff, support, admins). Validated and normalised (postal code 1500041, prefecture 東京都, phone E.164); her first address is the default. At most ${MAX_ADDRESSES_PER_CUSTOMER} (TOO_MANY_ADDRESSES).`,
  })
  addAddress(@Arg('input', () => AddAddressInput, { description: 'Whose, the address, and whether it is the default.' }) input: AddAddressInput, @Ctx() ctx: CustomersContext) {
    return withAddressUserErrors(async () => {
      await ctx.checkSelf(input.customerId);
      const address = await ctx.domain.addresses.add(input.customerId, input.address, input.isDefault);
      return { address, customer: await ctx.loaders.customerById.load(address.customerId) };
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => AddressPayload, {
    description:
      "Replaces an address and/or makes it the default (the others stop being it), or hands the default to the oldest other address (isDefault: false). A customer changes only her own: anyone else's is UNKNOWN_ADDRESS, as an unknown id is.",
  })
  updateAddress(@Arg('input', () => UpdateAddressInput, { description: 'The address and the changes.' }) input: UpdateAddressInput, @Ctx() ctx: CustomersContext) {
    return withAddressUserErrors(async () => {
      const address = await ctx.domain.addresses.update(ctx.principal, input.addressId, { address: input.address, isDefault: input.isDefault });
      return { address, customer: await ctx.loaders.customerById.load(address.customerId) };
    });
  }

  @Authorized(Rule.CUSTOMER_CHANGE)
  @Mutation(() => RemoveAddressPayload, {
    description: "Removes an address; removing the default makes the oldest other address the default. A customer removes only her own (UNKNOWN_ADDRESS otherwise).",
  })
  removeAddress(@Arg('input', () => RemoveAddressInput, { description: 'The address.' }) input: RemoveAddressInput, @Ctx() ctx: CustomersContext) {
    return withAddressUserErrors(async () => {
      const { customerId } = await ctx.domain.addresses.remove(ctx.principal, input.addressId);
      return { removedAddressId: input.addressId, customer: await ctx.loaders.customerById.load(customerId) };
    });
  }

  // Described on CustomerAddress: masked for store staff and marketing, audited when read in full by staff and partners.
  @FieldResolver()
  recipientName(@Root() address: CustomerAddress, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(address.customerId, 'addresses.recipientName', address.recipientName);
  }

  @FieldResolver()
  line1(@Root() address: CustomerAddress, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(address.customerId, 'addresses.line1', address.line1);
  }

  @FieldResolver()
  line2(@Root() address: CustomerAddress, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(address.customerId, 'addresses.line2', address.line2);
  }

  @FieldResolver()
  phone(@Root() address: CustomerAddress, @Ctx() ctx: CustomersContext) {
    return ctx.contacts.show(address.customerId, 'addresses.phone', address.phone);
  }
}

@Resolver(() => Customer)
export class CustomerAddressesResolver {
  @Authorized(Rule.CUSTOMER)
  @FieldResolver(() => [CustomerAddress], {
    description: `The customer's delivery addresses (at most ${MAX_ADDRESSES_PER_CUSTOMER}), the default first, then in the order they were added. Recipient, street lines and phone are masked for store staff and marketing; read in full by staff or partners, they are on the contactReads trail.`,
  })
  addresses(@Root() customer: Customer, @Ctx() ctx: CustomersContext) {
    return ctx.loaders.addressesByCustomerId.load(customer.id);
  }
}
