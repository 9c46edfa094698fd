import { ArrayMaxSize, IsOptional, MaxLength, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IdentityInput } from '../../../../shared/graphql/identity';
import { UserError } from '../../../../shared/graphql/user-error';
import { Order } from '../order/order.entity';
import { ImportStatus, MAX_TRANSACTIONS } from './store-sale.service';

registerEnumType(ImportStatus, {
  name: 'StoreTransactionStatus',
  description: 'What became of one POS transaction.',
  valuesConfig: {
    IMPORTED: { description: 'Recorded as a store sale now.' },
    DUPLICATE: { description: 'Recorded before for this store (or earlier in the same batch): nothing changed.' },
    REJECTED: { description: 'Not recorded; `code` says why.' },
  },
});

@InputType({ description: 'One line of a POS transaction.' })
export class StoreSaleLineInput {
  @MaxLength(64)
  @Field({ description: 'Stock keeping unit scanned at the till.' })
  sku!: string;

  @Field(() => Int, { description: 'Units sold, 1-999 (INVALID_QUANTITY beyond).' })
  quantity!: number;

  @Field(() => Int, { description: 'What the till charged per unit, tax-inclusive, minor units: 0-99,999,999 (INVALID_PRICE beyond); a sale comes to at most 999,999,999 (ORDER_TOTAL_TOO_LARGE).' })
  unitPrice!: number;
}

@InputType({ description: 'A sale rung up at a till.' })
export class StoreTransactionInput {
  @Field({ description: "The POS transaction id, the till's own: importing it again for this store is a DUPLICATE (another store's sale with the same id is another sale)." })
  transactionId!: string;

  @Field({
    description:
      'When the sale was rung up: within the import window (STORE_SALE_WINDOW_DAYS, default 90 days; older is SALE_TOO_OLD) and not in the future beyond five minutes of clock skew (SALE_IN_FUTURE).',
  })
  occurredAt!: Date;

  @IsOptional()
  @ValidateNested()
  @Field(() => IdentityInput, { nullable: true, description: 'Who bought, as the till knew them (e.g. a membership card); kept and attributed when linked.' })
  identity?: IdentityInput | null;

  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Field(() => [StoreSaleLineInput], { description: 'What was sold.' })
  lines!: StoreSaleLineInput[];
}

@InputType({ description: "A batch of one store's POS transactions." })
export class ImportStoreTransactionsInput {
  @Field(() => ID, { description: 'The store the sales were made at.' })
  locationId!: string;

  @ArrayMaxSize(MAX_TRANSACTIONS)
  @ValidateNested({ each: true })
  @Field(() => [StoreTransactionInput], { description: `The transactions (at most ${MAX_TRANSACTIONS}).` })
  transactions!: StoreTransactionInput[];
}

@ObjectType({ description: 'What became of one POS transaction.' })
export class StoreTransactionResult {
  @Field({ description: 'The POS transaction id.' })
  transactionId!: string;

  @Field(() => ImportStatus, { description: 'Imported, duplicate or rejected.' })
  status!: ImportStatus;

  @Field(() => Order, { nullable: true, description: 'The store sale (imported or recorded before); null when rejected.' })
  order!: Order | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Why it was rejected: UNKNOWN_SKU, INVALID_QUANTITY, INVALID_PRICE, ORDER_TOTAL_TOO_LARGE, INVALID_LINES, INVALID_IDENTITY, INVALID_TRANSACTION, SALE_TOO_OLD, SALE_IN_FUTURE, CONTACT_IDENTITY_NOT_ALLOWED.',
  })
  code!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected, for people.' })
  message!: string | null;
}

@ObjectType({ description: 'The result of importStoreTransactions: one result per transaction, in input order.' })
export class ImportStoreTransactionsPayload {
  @Field(() => [StoreTransactionResult], { nullable: true, description: 'Per transaction; null when a userError stopped the whole batch.' })
  results?: StoreTransactionResult[] | null;

  @Field(() => [UserError], { description: 'Expected outcomes that stopped the whole batch (e.g. UNKNOWN_LOCATION).' })
  userErrors!: UserError[];
}
