import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { IdentityInput } from '../../../../shared/graphql/identity';
import { MAX_EVENTS_PER_BATCH } from './touchpoint.service';
import { TouchpointType } from './touchpoint.entity';

@InputType({ description: 'One behaviour event; give exactly one of customerId and identity.' })
export class TrackEventInput {
  @Field({ description: 'Your id for the event (1-100 characters): a retried event with the same id is kept once.' })
  eventId!: string;

  @Field(() => TouchpointType, { description: 'What happened.' })
  type!: TouchpointType;

  @Field({ description: 'When it happened (not more than five minutes ahead of the server clock).' })
  occurredAt!: Date;

  @Field(() => Channel, { description: 'Where it happened.' })
  channel!: Channel;

  @Field(() => ID, { nullable: true, description: 'Whose event, when the customer is known.' })
  customerId?: string;

  @IsOptional()
  @ValidateNested()
  @Field(() => IdentityInput, {
    nullable: true,
    description:
      "Whose event, when only a key is known (an anonymous caller: a DEVICE id). A device someone has claimed gets events into its owner's history only from the owner, signed in (or staff); anyone else's are kept without it.",
  })
  identity?: IdentityInput;

  @Field(() => ID, { nullable: true, description: 'The product (PRODUCT_VIEW); one the catalog has.' })
  productId?: string;

  @Field(() => ID, { nullable: true, description: 'The variant, when known; one the catalog has, of the product given.' })
  variantId?: string;

  @Field(() => ID, { nullable: true, description: 'The location (STORE_CHECK_IN: a store); one the catalog has.' })
  locationId?: string;

  @Field({ nullable: true, description: 'Search text (SEARCH), at most 200 characters.' })
  query?: string;
}

@InputType({ description: `A batch of behaviour events (at most ${MAX_EVENTS_PER_BATCH}).` })
export class TrackEventsInput {
  @ArrayMaxSize(MAX_EVENTS_PER_BATCH)
  @ValidateNested({ each: true })
  @Field(() => [TrackEventInput], { description: `The events, at most ${MAX_EVENTS_PER_BATCH}.` })
  events!: TrackEventInput[];
}

@ObjectType({ description: 'An event of the batch that was not kept, and why.' })
export class RejectedEvent {
  @Field(() => Int, { description: 'Its position in the batch (from 0).' })
  index!: number;

  @Field({ description: 'Its eventId.' })
  eventId!: string;

  @Field({
    description:
      'Why: INVALID_EVENT_ID, INVALID_SUBJECT, INVALID_IDENTITY (also a value with control, invisible, combining, bidirectional or NUL characters), UNKNOWN_CUSTOMER, FORBIDDEN_SUBJECT, CONTACT_IDENTITY_NOT_ALLOWED (an EMAIL or PHONE sent by staff who see them masked), OCCURRED_IN_FUTURE, MISSING_FIELD, INVALID_QUERY, INVALID_REFERENCE (an id too long, or a variant of another product), UNKNOWN_PRODUCT, UNKNOWN_VARIANT, UNKNOWN_LOCATION (ids the catalog does not have), NOT_A_STORE (a STORE_CHECK_IN at a warehouse), RECORDED_BY_CART (an ADD_TO_CART: the cart records those itself).',
  })
  code!: string;

  @Field({ description: 'What was wrong, for people.' })
  message!: string;
}

@ObjectType({ description: 'What became of each event of a batch.' })
export class TrackEventsPayload {
  @Field(() => Int, { description: 'How many new events were kept.' })
  accepted!: number;

  @Field(() => [String], { description: 'eventIds kept before (redelivered); stored once.' })
  duplicates!: string[];

  @Field(() => [RejectedEvent], { description: 'Events not kept; the others of the batch were.' })
  rejected!: RejectedEvent[];
}
