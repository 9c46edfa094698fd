import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Rule } from '../../../../shared/auth/auth-checker';
import { Money, money } from '../../../../shared/graphql/money';
import { withUserErrors } from '../../../../shared/graphql/user-error';
import type { OrdersContext } from '../context';
import { Location, Product, ProductVariant, ref } from '../stubs/stubs';
import { OrderReturn, OrderReturnLine } from './return.entity';
import { CreateReturnInput, CreateReturnPayload } from './return.inputs';

@Resolver(() => OrderReturn)
export class OrderReturnResolver {
  @Authorized(Rule.STORE_ORDERS)
  @Mutation(() => CreateReturnPayload, {
    description:
      'Records goods of an order (any channel) brought back at a location (store staff: their store), refunds the price paid and restocks there. More than was bought minus returned is RETURN_EXCEEDS_PURCHASE.',
  })
  createReturn(@Arg('input', () => CreateReturnInput, { description: 'The order, where, and what came back.' }) input: CreateReturnInput, @Ctx() ctx: OrdersContext) {
    return withUserErrors(() => ctx.domain.returns.create(ctx.principal, { ...input, reason: input.reason ?? null }));
  }

  @FieldResolver(() => Location, {
    nullable: true,
    description: 'Where the goods were received and restocked (from inventory: null, with an UNAVAILABLE error, while it cannot answer).',
  })
  location(@Root() orderReturn: OrderReturn): Location {
    return ref(Location, orderReturn.locationId);
  }

  @FieldResolver(() => Money, { description: 'Refunded, tax-inclusive: the unit prices paid times the units returned.' })
  refundTotal(@Root() orderReturn: OrderReturn): Money {
    return money(orderReturn.refundTotal, orderReturn.currencyCode);
  }

  @FieldResolver(() => [OrderReturnLine], { description: 'Variants and units brought back.' })
  lines(@Root() orderReturn: OrderReturn, @Ctx() ctx: OrdersContext) {
    return ctx.loaders.returnLinesByReturnId.load(orderReturn.id);
  }
}

@Resolver(() => OrderReturnLine)
export class OrderReturnLineResolver {
  @FieldResolver(() => ProductVariant, { nullable: true, description: 'The SKU brought back (from inventory: null, with an UNAVAILABLE error, while it cannot answer).' })
  variant(@Root() line: OrderReturnLine): ProductVariant {
    return ref(ProductVariant, line.variantId);
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The style of the SKU (from inventory: null, with an UNAVAILABLE error, while it cannot answer).' })
  product(@Root() line: OrderReturnLine): Product {
    return ref(Product, line.productId);
  }

  @FieldResolver(() => Money, { description: 'Refunded for this line, tax-inclusive.' })
  refund(@Root() line: OrderReturnLine): Money {
    return money(line.refund);
  }
}
