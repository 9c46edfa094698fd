import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { OrdersContext } from '../context';
import { ImportStoreTransactionsInput, ImportStoreTransactionsPayload } from './store-sale.inputs';

@Resolver()
export class StoreSaleResolver {
  @Authorized(Rule.STORE_IMPORT)
  @Mutation(() => ImportStoreTransactionsPayload, {
    description:
      "Imports up to 1,000 POS transactions of one store (store staff: their store; partners with orders:import). Each is idempotent by its transaction id within the store (another store's tills number their own) and gets its own result; the store's stock goes down.",
  })
  importStoreTransactions(
    @Arg('input', () => ImportStoreTransactionsInput, { description: 'The store and its transactions.' }) input: ImportStoreTransactionsInput,
    @Ctx() ctx: OrdersContext,
  ) {
    return withUserErrors(async () => ({ results: await ctx.domain.storeSales.import(ctx.principal, input.locationId, input.transactions) }));
  }
}
