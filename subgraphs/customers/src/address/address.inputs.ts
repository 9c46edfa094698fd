import { IsOptional, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { AddressInput } from '../../../../shared/graphql/checkout';
import { UserError } from '../../../../shared/graphql/user-error';
import { Customer } from '../customer/customer.entity';
import { CustomerAddress } from './address.entity';

const ERRORS =
  'INVALID_POSTAL_CODE, INVALID_PREFECTURE, INVALID_PHONE, INVALID_ADDRESS_FIELD (each problem of the address its own userError, field under input.address)';

@InputType({ description: 'An address to add to a customer.' })
export class AddAddressInput {
  @Field(() => ID, { description: 'Whose address (a merged-away id adds it to the survivor).' })
  customerId!: string;

  @ValidateNested()
  @Field(() => AddressInput, { description: 'The address, as typed: validated and normalised.' })
  address!: AddressInput;

  @Field(() => Boolean, { nullable: true, description: "True to make it the customer's default address (her first address is the default anyway)." })
  isDefault?: boolean | null;
}

@InputType({ description: 'Changes to one address; a field left out stays as it is.' })
export class UpdateAddressInput {
  @Field(() => ID, { description: 'The address.' })
  addressId!: string;

  @IsOptional()
  @ValidateNested()
  @Field(() => AddressInput, { nullable: true, description: 'The whole address again, replacing the one kept.' })
  address?: AddressInput | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'True makes it the default (the others stop being it); false on the default hands it to the oldest other address (her only address stays the default).',
  })
  isDefault?: boolean | null;
}

@InputType({ description: 'An address to remove.' })
export class RemoveAddressInput {
  @Field(() => ID, { description: 'The address.' })
  addressId!: string;
}

@ObjectType({ description: 'The result of addAddress or updateAddress.' })
export class AddressPayload {
  @Field(() => CustomerAddress, { nullable: true, description: 'The address as it is now; null when a userError stopped the mutation.' })
  address?: CustomerAddress | null;

  @Field(() => Customer, { nullable: true, description: 'Whose address it is, with every address as it is now.' })
  customer?: Customer | null;

  @Field(() => [UserError], {
    description: `Why nothing changed: ${ERRORS}, TOO_MANY_ADDRESSES (addAddress: 20 kept already), NOT_FOUND and CUSTOMER_ERASED (addAddress), UNKNOWN_ADDRESS (updateAddress: no such address, or not the signed-in customer's).`,
  })
  userErrors!: UserError[];
}

@ObjectType({ description: 'The result of removeAddress.' })
export class RemoveAddressPayload {
  @Field(() => ID, { nullable: true, description: 'The id of the address removed; null when a userError stopped the mutation.' })
  removedAddressId?: string | null;

  @Field(() => Customer, { nullable: true, description: 'Whose address it was, with the addresses left (another one the default if it was).' })
  customer?: Customer | null;

  @Field(() => [UserError], { description: "Why nothing was removed: UNKNOWN_ADDRESS (no such address, or not the signed-in customer's)." })
  userErrors!: UserError[];
}
