import { Arg, Ctx, FieldResolver, Float, ID, Query, Resolver, Root } from 'type-graphql';
import { Money, money } from '../../../../shared/graphql/money';
import type { OrdersContext } from '../context';
import { Customer } from '../customer/customer.stub';
import { Location, Product, ProductVariant, ref } from '../stubs/stubs';
import { Order, OrderLine } from './order.entity';
import { Fulfillment } from './order.types';

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, { nullable: true, description: 'An order by id.' })
  order(@Arg('id', () => ID, { description: 'Order id.' }) id: string, @Ctx() ctx: OrdersContext) {
    return ctx.loaders.orderById.load(id);
  }

  @Query(() => Order, { nullable: true, description: 'An order by the number shown to customers.' })
  orderByNumber(@Arg('number', { description: 'Order number.' }) number: string, @Ctx() ctx: OrdersContext) {
    return ctx.loaders.orderByNumber.load(number);
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'Who placed it; null for an anonymous store sale.' })
  customer(@Root() order: Order): Customer | null {
    return ref(Customer, order.customerId);
  }

  @FieldResolver(() => Location, { nullable: true, description: 'Store of purchase or pickup.' })
  location(@Root() order: Order): Location | null {
    return ref(Location, order.locationId);
  }

  @FieldResolver(() => [OrderLine], { description: 'What was bought.' })
  lines(@Root() order: Order, @Ctx() ctx: OrdersContext) {
    return ctx.loaders.linesByOrderId.load(order.id);
  }

  @FieldResolver(() => Money, { description: 'Amount charged, tax-inclusive.' })
  total(@Root() order: Order): Money {
    return money(order.total, order.currencyCode);
  }

  @FieldResolver(() => Money, { description: 'Consumption tax contained in the total.' })
  taxTotal(@Root() order: Order): Money {
    return money(order.taxTotal, order.currencyCode);
  }

  @FieldResolver(() => Fulfillment, { description: 'How and where the order is fulfilled.' })
  fulfillment(@Root() order: Order): Fulfillment {
    return {
      type: order.fulfillmentType,
      location: ref(Location, order.fulfillmentLocationId),
      status: order.fulfillmentStatus,
    };
  }
}

@Resolver(() => OrderLine)
export class OrderLineResolver {
  @FieldResolver(() => ProductVariant, { description: 'The SKU bought.' })
  variant(@Root() line: OrderLine): ProductVariant {
    return ref(ProductVariant, line.variantId);
  }

  @FieldResolver(() => Product, { description: 'The style of the SKU.' })
  product(@Root() line: OrderLine): Product {
    return ref(Product, line.productId);
  }

  @FieldResolver(() => Money, { description: 'Price per unit charged, tax-inclusive.' })
  unitPrice(@Root() line: OrderLine): Money {
    return money(line.unitPrice);
  }

  @FieldResolver(() => Money, { description: 'Unit price times quantity, tax-inclusive.' })
  total(@Root() line: OrderLine): Money {
    return money(line.unitPrice * line.quantity);
  }

  @FieldResolver(() => Float, { description: 'Consumption tax rate applied, as a fraction (0.1 = 10 %, 0.08 reduced).' })
  taxRate(@Root() line: OrderLine): number {
    return line.taxRateBp / 10_000;
  }
}
