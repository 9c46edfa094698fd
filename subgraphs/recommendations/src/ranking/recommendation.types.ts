import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';
import { Product } from '../stubs';

export enum RecommendationReasonCode {
  BOUGHT_TOGETHER = 'BOUGHT_TOGETHER',
  POPULAR = 'POPULAR',
}
registerEnumType(RecommendationReasonCode, {
  name: 'RecommendationReasonCode',
  description: 'Why a product is recommended.',
  valuesConfig: {
    BOUGHT_TOGETHER: { description: 'Customers who bought what this customer bought also bought it.' },
    POPULAR: { description: 'Among the styles bought by the most customers.' },
  },
});

@ObjectType({ description: 'Why a product is recommended.' })
export class RecommendationReason {
  @Field(() => RecommendationReasonCode, { description: 'Stable code of the reason.' })
  code!: RecommendationReasonCode;

  @Field({ description: 'The reason in words, for display.' })
  message!: string;
}

@ObjectType({ description: 'A product recommended to a customer.' })
export class Recommendation {
  @Field(() => Product, { description: 'The recommended style.' })
  product!: Product;

  @Field(() => Float, { description: 'Relative strength; higher is better, comparable within one list.' })
  score!: number;

  @Field(() => [RecommendationReason], { description: 'Why it is recommended.' })
  reasons!: RecommendationReason[];
}
