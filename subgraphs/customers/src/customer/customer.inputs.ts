import { Field, InputType } from 'type-graphql';

@InputType({ description: 'Which customers to list.' })
export class CustomerFilter {
  @Field({ nullable: true, description: 'Name or its kana reading contains this text.' })
  name?: string;
}
