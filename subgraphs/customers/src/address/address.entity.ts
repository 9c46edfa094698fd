import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, IdColumn } from '../../../../shared/db/columns';

/**
 * A postal address a customer keeps for deliveries (validated and normalised by shared/address.ts).
 * Recipient, street lines and phone are resolved by AddressResolver, which masks and audits them.
 */
@Entity('customer_address')
@Index('idx_customer_address_customer', ['customerId', 'createdAt'])
@ObjectType('Address', { description: 'A delivery address the customer keeps (Japanese format).' })
export class CustomerAddress {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  @Field(() => ID, { description: 'Address id (pass it to updateAddress, removeAddress, or checkout).' })
  id!: string;

  /** Whose address it is now: a merge moves it to the survivor. */
  @IdColumn({ name: 'customer_id' })
  customerId!: string;

  /** The customer who added it: an unmerge gives it back to them. */
  @Index()
  @IdColumn({ name: 'origin_customer_id' })
  originCustomerId!: string;

  /** Resolved by AddressResolver.recipientName, which masks and audits. */
  @Column({ type: 'varchar', length: 100, name: 'recipient_name' })
  @Field({
    description:
      'Who receives the parcel. Store staff and marketing see it masked, its shape kept: the first character stays, every other letter and digit becomes *, spaces and punctuation stay (山田 花子 → 山* **). Read in full by staff or a partner, it goes on the contactReads trail.',
  })
  recipientName!: string;

  @Column({ type: 'varchar', length: 7, name: 'postal_code' })
  @Field({ description: 'Postal code, seven digits without the hyphen: 1500041.' })
  postalCode!: string;

  @Column({ type: 'varchar', length: 8 })
  @Field({ description: 'One of the 47 prefectures, as written in Japanese: 東京都.' })
  prefecture!: string;

  @Column({ type: 'varchar', length: 100 })
  @Field({ description: 'City, ward, town or village: 渋谷区.' })
  city!: string;

  /** Resolved by AddressResolver.line1, which masks and audits. */
  @Column({ type: 'varchar', length: 200 })
  @Field({ description: 'Street and number; masked (a leading digit too: 神宮前1-2-3 → 神***-*-*) and audited as recipientName is.' })
  line1!: string;

  /** Resolved by AddressResolver.line2, which masks and audits. */
  @Column({ type: 'varchar', length: 200, nullable: true })
  @Field(() => String, { nullable: true, description: 'Building and room, or null; masked and audited as line1 is (501号室 → *****).' })
  line2!: string | null;

  /** E.164; resolved by AddressResolver.phone, which masks and audits. */
  @Column({ type: 'varchar', length: 32 })
  @Field({ description: "The recipient's phone number, E.164; masked as the customer's phone is (+81******5678), audited as recipientName is." })
  phone!: string;

  @Column({ type: 'boolean', name: 'is_default' })
  @Field({ description: "True for the customer's default address (exactly one while they have any)." })
  isDefault!: boolean;

  @DateTimeColumn({ name: 'created_at' })
  @Field({ description: 'When the address was added.' })
  createdAt!: Date;

  @DateTimeColumn({ name: 'updated_at' })
  @Field({ description: 'When the address was last changed.' })
  updatedAt!: Date;
}
