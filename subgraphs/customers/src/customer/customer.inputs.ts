import { IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { UserError } from '../../../../shared/graphql/user-error';
import { SegmentCode } from '../segment/segment.entity';
import { IdentityInput } from '../../../../shared/graphql/identity';
import { Customer } from './customer.entity';

@InputType({ description: 'Which customers to list; the conditions given must all hold.' })
export class CustomerFilter {
  @IsOptional()
  @MaxLength(100)
  @Field({ nullable: true, description: 'Name or its kana reading contains this text, width and hiragana/katakana folded (at most 100 characters).' })
  name?: string;

  @IsOptional()
  @ValidateNested()
  @Field(() => IdentityInput, { nullable: true, description: 'Has this identity.' })
  identity?: IdentityInput;

  @Field(() => SegmentCode, { nullable: true, description: 'Is in this segment.' })
  segment?: SegmentCode;
}

@InputType({ description: 'A new customer.' })
export class RegisterCustomerInput {
  @MaxLength(200)
  @Field({ description: 'Name, e.g. 山田 花子.' })
  displayName!: string;

  @IsOptional()
  @MaxLength(200)
  @Field({ nullable: true, description: 'Reading of the name in katakana, e.g. ヤマダ ハナコ.' })
  displayNameKana?: string;

  @IsOptional()
  @MaxLength(320)
  @Field({ nullable: true, description: 'Contact e-mail address; also linked as an unverified EMAIL identity (IDENTITY_TAKEN when it is someone else\'s).' })
  email?: string;

  @IsOptional()
  @MaxLength(32)
  @Field({ nullable: true, description: 'Contact phone number, e.g. 090-1234-5678; also linked as an unverified PHONE identity (IDENTITY_TAKEN when it is someone else\'s).' })
  phone?: string;

  @IsOptional()
  @ValidateNested({ each: true })
  @Field(() => [IdentityInput], {
    nullable: true,
    description:
      "Keys to link at once (a membership card, a device id, ...): verified when staff register, unverified for an anonymous sign-up. An EC_ACCOUNT only from support (EC_ACCOUNT_NOT_ALLOWED otherwise): a customer's comes from their own sign-in token.",
  })
  identities?: IdentityInput[];

  @Field(() => Channel, { nullable: true, description: 'Where the customer registers (default EC; STORE for staff at a till).' })
  channel?: Channel;
}

@InputType({ description: 'Profile changes; a field left out stays as it is, a null clears it.' })
export class UpdateCustomerInput {
  @Field(() => ID, { description: 'Whose profile (a merged-away id changes the survivor).' })
  customerId!: string;

  @IsOptional()
  @MaxLength(200)
  @Field(() => String, { nullable: true, description: 'New name (cannot be cleared).' })
  displayName?: string | null;

  @IsOptional()
  @MaxLength(200)
  @Field(() => String, { nullable: true, description: 'New reading in katakana.' })
  displayNameKana?: string | null;

  @IsOptional()
  @MaxLength(320)
  @Field(() => String, { nullable: true, description: 'New contact e-mail address; also linked as an unverified EMAIL identity (IDENTITY_TAKEN when it is someone else\'s).' })
  email?: string | null;

  @IsOptional()
  @MaxLength(32)
  @Field(() => String, { nullable: true, description: 'New contact phone number; also linked as an unverified PHONE identity (IDENTITY_TAKEN when it is someone else\'s).' })
  phone?: string | null;
}

@InputType({ description: 'An identity to link to a customer.' })
export class LinkIdentityInput {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @ValidateNested()
  @Field(() => IdentityInput, { description: 'The identity.' })
  identity!: IdentityInput;

  @Field({
    nullable: true,
    description:
      'Whether the customer proved they own it (a code sent to the address, a card shown). Staff and services: default true; a customer linking for themselves: always false. Only a verified key brings its history, checks its owner in or (EC_ACCOUNT) signs them in.',
  })
  verified?: boolean;
}

@InputType({ description: 'An identity to unlink from a customer.' })
export class UnlinkIdentityInput {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @ValidateNested()
  @Field(() => IdentityInput, { description: 'The identity.' })
  identity!: IdentityInput;
}

@ObjectType({ description: 'The result of a mutation on one customer.' })
export class CustomerPayload {
  @Field(() => Customer, {
    nullable: true,
    description: 'The customer as it is now, for a caller who may read them (an anonymous sign-up reads them once signed in); null when a userError stopped the mutation.',
  })
  customer?: Customer | null;

  @Field(() => ID, { nullable: true, description: "The customer's id, for whoever made the change (an anonymous sign-up too); null when a userError stopped the mutation." })
  customerId?: string | null;

  @Field(() => [UserError], { description: 'Why the mutation did nothing, if it did nothing.' })
  userErrors!: UserError[];
}
