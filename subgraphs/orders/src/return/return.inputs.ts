import { IsOptional, MaxLength, ValidateNested, ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { UserError } from '../../../../shared/graphql/user-error';
import { Order } from '../order/order.entity';
import { OrderLineInput } from '../order/order.inputs';
import { OrderReturn } from './return.entity';

@InputType({ description: 'Goods of an order brought back at a location.' })
export class CreateReturnInput {
  @Field(() => ID, { description: 'The order (of any channel).' })
  orderId!: string;

  @Field(() => ID, { description: 'Where the goods were received, and go back into stock.' })
  locationId!: string;

  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Field(() => [OrderLineInput], { description: 'Variants and units brought back (at most what was bought and not yet returned).' })
  lines!: OrderLineInput[];

  @IsOptional()
  @MaxLength(500)
  @Field(() => String, { nullable: true, description: 'Why, for the record (at most 500 characters).' })
  reason?: string | null;
}

@ObjectType({ description: 'The result of createReturn.' })
export class CreateReturnPayload {
  @Field(() => OrderReturn, { name: 'return', nullable: true, description: 'The return recorded; null when a userError stopped it.' })
  orderReturn?: OrderReturn | null;

  @Field(() => Order, { nullable: true, description: 'The order the goods came from.' })
  order?: Order | null;

  @Field(() => [UserError], { description: 'Expected outcomes that stopped the return (e.g. RETURN_EXCEEDS_PURCHASE, NOT_RETURNABLE).' })
  userErrors!: UserError[];
}
