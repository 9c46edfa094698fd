import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../../../shared/db/columns';
import { Channel } from '../../../../shared/graphql/channel';

export enum TouchpointType {
  PAGE_VIEW = 'PAGE_VIEW',
  PRODUCT_VIEW = 'PRODUCT_VIEW',
  SEARCH = 'SEARCH',
  ADD_TO_CART = 'ADD_TO_CART',
  STORE_CHECK_IN = 'STORE_CHECK_IN',
  APP_OPEN = 'APP_OPEN',
}
registerEnumType(TouchpointType, {
  name: 'TouchpointType',
  description: 'What a person did.',
  valuesConfig: {
    PAGE_VIEW: { description: 'Viewed a page of the EC site or app.' },
    PRODUCT_VIEW: { description: 'Viewed a product (productId required).' },
    SEARCH: { description: 'Searched (query required).' },
    ADD_TO_CART: { description: 'Put a product in the cart: recorded by the cart (cartLinesAdd), in every channel; trackEvents refuses it (RECORDED_BY_CART).' },
    STORE_CHECK_IN: { description: 'Was detected in or checked into a store (locationId required).' },
    APP_OPEN: { description: 'Opened the mobile app.' },
  },
});

/** One thing a person did in some channel; kept under an identity alone until someone links it. */
@Entity('touchpoint')
@Index('idx_touchpoint_customer', ['customerId', 'occurredAt', 'id'])
@Index('idx_touchpoint_identity', ['identityType', 'identityValue'])
// A client's event id is unique per subject (the customer or identity it was sent for), not globally.
@Index('idx_touchpoint_subject_event', ['eventId', 'subjectKey'], { unique: true })
@ObjectType('Touchpoint', { description: 'One thing the customer did, in any channel.' })
export class TouchpointRow {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Touchpoint id.' })
  id!: string;

  /** The client's id for the event: a redelivered event is recognised by it (with its subject) and kept once. */
  @Column({ type: 'varchar', length: 100, name: 'event_id' })
  @Field({ description: 'The id the sending client gave the event (unique per customer or identity it was sent for).' })
  eventId!: string;

  /**
   * Whom the event was sent for, as sent: SHA-256 (hex) of `CUSTOMER<TAB>id` or `<TYPE><TAB>value`
   * (normalised), kept even when the event is kept without its identity, so that a retry is known and
   * one subject's ids never stop another's. Null for events kept before subjects were (embedded data
   * from then): such an event id counts for every subject.
   */
  @Column({ type: 'varchar', length: 64, name: 'subject_key', nullable: true })
  subjectKey!: string | null;

  @Column({ type: 'varchar', length: 36, name: 'customer_id', nullable: true })
  customerId!: string | null;

  /** The customer the event was first attributed to: an unmerge gives it back to them. */
  @Index()
  @Column({ type: 'varchar', length: 36, name: 'origin_customer_id', nullable: true })
  originCustomerId!: string | null;

  @Column({ type: 'varchar', length: 16, name: 'identity_type', nullable: true })
  identityType!: string | null;

  /** Compared exactly (a binary no-pad collation on MySQL: migration IdentityValuesExact), as SQLite does. */
  @Column({ type: 'varchar', length: 320, name: 'identity_value', nullable: true })
  identityValue!: string | null;

  @Column({ type: 'varchar', length: 24 })
  @Field(() => TouchpointType, { description: 'What happened.' })
  type!: TouchpointType;

  @Column({ type: 'varchar', length: 16 })
  @Field(() => Channel, { description: 'Where it happened.' })
  channel!: Channel;

  @DateTimeColumn({ name: 'occurred_at' })
  @Field({ description: 'When it happened (as the client saw it).' })
  occurredAt!: Date;

  @DateTimeColumn({ name: 'received_at' })
  receivedAt!: Date;

  @Column({ type: 'varchar', length: 36, name: 'product_id', nullable: true })
  productId!: string | null;

  @Column({ type: 'varchar', length: 36, name: 'variant_id', nullable: true })
  variantId!: string | null;

  @Column({ type: 'varchar', length: 36, name: 'location_id', nullable: true })
  locationId!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  @Field(() => String, { nullable: true, description: 'Search text, for SEARCH (removed on erasure).' })
  query!: string | null;
}
