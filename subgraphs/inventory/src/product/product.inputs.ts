import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Which styles to list.' })
export class ProductFilter {
  @Field({ nullable: true, description: 'Only this category.' })
  category?: string;

  @Field({ nullable: true, description: 'Only this brand.' })
  brand?: string;

  @Field({ nullable: true, description: 'Only styles sold (true) or not sold (false) online.' })
  soldOnline?: boolean;

  @MaxLength(100)
  @Field({ nullable: true, description: 'Name or style code contains this text (at most 100 characters).' })
  search?: string;
}
