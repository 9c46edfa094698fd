import { FulfillmentStatus as F, FulfillmentType, OrderStatus as S } from './order.entity';
import { allows, isReturnable, TRANSITIONS } from './order.transitions';

describe('order transitions', () => {
  it.each([
    ['cancel', FulfillmentType.SHIP, S.PLACED, F.PENDING, true],
    ['cancel', FulfillmentType.PICKUP_IN_STORE, S.READY_FOR_PICKUP, F.READY_FOR_PICKUP, true],
    ['cancel', FulfillmentType.SHIP, S.PLACED, F.SHIPPED, false],
    ['cancel', FulfillmentType.CARRY_OUT, S.COMPLETED, F.PICKED_UP, false],
    ['cancel', FulfillmentType.SHIP, S.CANCELLED, F.PENDING, false],
    ['markReadyForPickup', FulfillmentType.PICKUP_IN_STORE, S.PLACED, F.PENDING, true],
    ['markReadyForPickup', FulfillmentType.SHIP, S.PLACED, F.PENDING, false],
    ['markReadyForPickup', FulfillmentType.PICKUP_IN_STORE, S.READY_FOR_PICKUP, F.READY_FOR_PICKUP, false],
    ['completePickup', FulfillmentType.PICKUP_IN_STORE, S.READY_FOR_PICKUP, F.READY_FOR_PICKUP, true],
    ['completePickup', FulfillmentType.PICKUP_IN_STORE, S.PLACED, F.PENDING, false],
    ['completePickup', FulfillmentType.PICKUP_IN_STORE, S.CANCELLED, F.READY_FOR_PICKUP, false],
  ] as const)('%s of a %s order in %s/%s: %s', (name, type, status, fulfillmentStatus, expected) => {
    expect(allows(TRANSITIONS[name], type, { status, fulfillmentStatus })).toBe(expected);
  });

  it.each([
    [S.COMPLETED, F.PICKED_UP, true],
    [S.PLACED, F.SHIPPED, true],
    [S.PLACED, F.PENDING, false],
    [S.READY_FOR_PICKUP, F.READY_FOR_PICKUP, false],
    [S.CANCELLED, F.PENDING, false],
  ] as const)('an order in %s/%s is returnable: %s', (status, fulfillmentStatus, expected) => {
    expect(isReturnable({ status, fulfillmentStatus })).toBe(expected);
  });
});
