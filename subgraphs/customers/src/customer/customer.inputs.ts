import { MaxLength } from 'class-validator';
import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Which customers to list.' })
export class CustomerFilter {
  @MaxLength(100)
  @Field({ nullable: true, description: 'Name or its kana reading contains this text (at most 100 characters).' })
  name?: string;
}
