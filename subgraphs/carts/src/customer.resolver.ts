import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../shared/auth/auth-checker';
import { JSONObjectScalar } from '../../../shared/graphql/scalars';
import { CartRow } from './cart/cart.entity';
import type { CartsContext } from './context';
import { Customer, CustomerDataExport } from './stubs';

@Resolver(() => Customer)
export class CustomerCartResolver {
  @Authorized(Rule.CUSTOMER_CART)
  @FieldResolver(() => CartRow, {
    nullable: true,
    description: "The customer's active cart, shared by the app, the web shop and the till (null when she has none): herself, store staff, support, admins.",
  })
  cart(@Root() customer: Customer, @Ctx() ctx: CartsContext) {
    return ctx.loaders.activeCartOfCustomer.load(customer.id);
  }
}

@Resolver(() => CustomerDataExport)
export class CustomerDataExportResolver {
  @Authorized(Rule.CUSTOMER_CASES)
  @FieldResolver(() => JSONObjectScalar, {
    nullable: true,
    description: "What the carts service holds: the person's carts and their lines (null, with an UNAVAILABLE error, while the carts service cannot answer).",
  })
  async carts(@Root() exported: CustomerDataExport, @Ctx() ctx: CartsContext) {
    return { carts: await ctx.domain.carts.disclosureOf(exported.customerId) };
  }
}
