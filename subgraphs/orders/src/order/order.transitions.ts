import { FulfillmentStatus, FulfillmentType, OrderStatus } from './order.entity';

/** An order's state as far as status changes are concerned. */
export interface OrderState {
  status: OrderStatus;
  fulfillmentStatus: FulfillmentStatus;
}

export interface Transition {
  /** Only orders fulfilled this way (any when absent). */
  fulfillmentType?: FulfillmentType;
  /** States the change may start from. */
  from: OrderState[];
  /** The new state; fulfilment status unchanged when absent. */
  to: { status: OrderStatus; fulfillmentStatus?: FulfillmentStatus };
}

/**
 * Every status change the orders service makes on request. Anything not listed is illegal: the
 * service applies them as conditional updates on the `from` states, so two concurrent requests
 * cannot both move the same order.
 */
export const TRANSITIONS = {
  cancel: {
    // Before fulfilment: nothing has left the warehouse or been handed over.
    from: [
      { status: OrderStatus.PLACED, fulfillmentStatus: FulfillmentStatus.PENDING },
      { status: OrderStatus.READY_FOR_PICKUP, fulfillmentStatus: FulfillmentStatus.READY_FOR_PICKUP },
    ],
    to: { status: OrderStatus.CANCELLED },
  },
  markReadyForPickup: {
    fulfillmentType: FulfillmentType.PICKUP_IN_STORE,
    from: [{ status: OrderStatus.PLACED, fulfillmentStatus: FulfillmentStatus.PENDING }],
    to: { status: OrderStatus.READY_FOR_PICKUP, fulfillmentStatus: FulfillmentStatus.READY_FOR_PICKUP },
  },
  completePickup: {
    fulfillmentType: FulfillmentType.PICKUP_IN_STORE,
    from: [{ status: OrderStatus.READY_FOR_PICKUP, fulfillmentStatus: FulfillmentStatus.READY_FOR_PICKUP }],
    to: { status: OrderStatus.COMPLETED, fulfillmentStatus: FulfillmentStatus.PICKED_UP },
  },
} satisfies Record<string, Transition>;

export type TransitionName = keyof typeof TRANSITIONS;

/** Whether an order in `state`, fulfilled as `type`, may take `transition`. */
export function allows(transition: Transition, type: FulfillmentType, state: OrderState): boolean {
  return (
    (transition.fulfillmentType === undefined || transition.fulfillmentType === type) &&
    transition.from.some((f) => f.status === state.status && f.fulfillmentStatus === state.fulfillmentStatus)
  );
}

/** Goods the customer has: completed, or on the way or handed over. Only these can be returned. */
export function isReturnable(state: OrderState): boolean {
  return (
    state.status !== OrderStatus.CANCELLED &&
    (state.status === OrderStatus.COMPLETED ||
      [FulfillmentStatus.SHIPPED, FulfillmentStatus.DELIVERED, FulfillmentStatus.PICKED_UP].includes(state.fulfillmentStatus))
  );
}
