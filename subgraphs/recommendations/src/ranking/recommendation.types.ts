import { IsIn, IsOptional } from 'class-validator';
import { Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Channel } from '../../../../shared/graphql/channel';
import { Product, ProductVariant } from '../stubs';

export enum RecommendationReasonCode {
  BUY_AGAIN = 'BUY_AGAIN',
  BOUGHT_TOGETHER = 'BOUGHT_TOGETHER',
  VIEWED_TOGETHER = 'VIEWED_TOGETHER',
  POPULAR_IN_STORE = 'POPULAR_IN_STORE',
  POPULAR = 'POPULAR',
  NEW_ARRIVAL = 'NEW_ARRIVAL',
}
registerEnumType(RecommendationReasonCode, {
  name: 'RecommendationReasonCode',
  description: 'Why a product is recommended.',
  valuesConfig: {
    BUY_AGAIN: { description: 'The customer bought it before, and styles of its kind are bought again.' },
    BOUGHT_TOGETHER: { description: 'Customers who bought what this customer bought also bought it.' },
    VIEWED_TOGETHER: { description: 'Customers who looked at what this customer bought or looked at also looked at it.' },
    POPULAR_IN_STORE: { description: 'Among the best sellers of the store of the context.' },
    POPULAR: { description: 'Among the best sellers of the channel (or of every channel).' },
    NEW_ARRIVAL: { description: 'Released recently.' },
  },
});

/** Words for each reason, for display; clients key on the code. */
export const REASON_MESSAGES: Record<RecommendationReasonCode, string> = {
  BUY_AGAIN: 'You bought this before',
  BOUGHT_TOGETHER: 'Often bought with what you bought',
  VIEWED_TOGETHER: 'Often viewed with what you looked at',
  POPULAR_IN_STORE: 'Popular in this store',
  POPULAR: 'Popular with our customers',
  NEW_ARRIVAL: 'New arrival',
};

@ObjectType({ description: 'Why a product is recommended.' })
export class RecommendationReason {
  @Field(() => RecommendationReasonCode, { description: 'Stable code of the reason.' })
  code!: RecommendationReasonCode;

  @Field({ description: 'The reason in words, for display.' })
  message!: string;

  @Field(() => Product, {
    nullable: true,
    description: "The customer's style that led to it (BUY_AGAIN, BOUGHT_TOGETHER, VIEWED_TOGETHER); null for the others.",
  })
  basedOn!: Product | null;
}

@ObjectType({ description: 'A product recommended to a customer.' })
export class Recommendation {
  @Field(() => Product, { nullable: true, description: 'The recommended style (from inventory: null, with an UNAVAILABLE error, while it cannot answer).' })
  product!: Product | null;

  @Field(() => ProductVariant, {
    nullable: true,
    description:
      "A SKU of it in the customer's usual size and colour for its category (usual size alone when the colour is not there), in stock in the context (anywhere without a stock filter); null when unknown or none is.",
  })
  variant!: ProductVariant | null;

  @Field(() => Float, { description: 'Relative strength; higher is better, comparable within one list.' })
  score!: number;

  @Field(() => [RecommendationReason], { description: 'Why it is recommended, strongest first.' })
  reasons!: RecommendationReason[];
}

@InputType({ description: 'Where and how the customer is shopping.' })
export class RecommendationContext {
  @Field(() => ID, {
    nullable: true,
    description:
      "A store: only styles available there (in the customer's usual size where known), its bestsellers as popularity. Without it (and unless the channel is EC), the store the customer checked into in the last two hours, if any.",
  })
  @IsOptional()
  locationId?: string | null;

  @Field(() => Channel, {
    nullable: true,
    description:
      "The channel's bestsellers are the popularity (every channel's without one). EC (the web shop), or APP away from a store the customer checked into: only styles sold online with units at a shipping location.",
  })
  @IsOptional()
  @IsIn(Object.values(Channel))
  channel?: Channel | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Only styles with units available (at the store, at a shipping location online, anywhere otherwise). Defaults to true in a store or online context, false without one.',
  })
  @IsOptional()
  inStockOnly?: boolean | null;
}
