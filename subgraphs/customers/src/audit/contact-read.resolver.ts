import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Query, Resolver } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { connectionTypes, pageSize } from '../../../../shared/graphql/connection';
import type { CustomersContext } from '../context';
import { ContactRead } from './contact-read.entity';

export const { ConnectionType: ContactReadConnection } = connectionTypes('ContactRead', ContactRead, 'record');

@InputType({ description: 'Which contact reads to list.' })
export class ContactReadFilter {
  @Field(() => ID, { nullable: true, description: 'Reads of this customer.' })
  customerId?: string;

  @Field({ nullable: true, description: 'Reads by this staff member or partner key.' })
  actorId?: string;
}

@Resolver(() => ContactRead)
export class ContactReadResolver {
  @Authorized(Rule.ADMIN)
  @Query(() => ContactReadConnection, {
    description: "Reads of customers' unmasked contact details by staff and partners, newest first (admins).",
  })
  contactReads(
    @Ctx() ctx: CustomersContext,
    @Arg('filter', () => ContactReadFilter, { nullable: true, description: 'Whose reads, by whom.' }) filter?: ContactReadFilter,
    @Arg('first', () => Int, { nullable: true, description: 'Page size (1-100, default 20).' }) first?: number,
    @Arg('after', { nullable: true, description: 'Cursor of the item before this page.' }) after?: string,
  ) {
    return ctx.domain.contactAudit.list(filter ?? {}, pageSize(first), after);
  }
}
