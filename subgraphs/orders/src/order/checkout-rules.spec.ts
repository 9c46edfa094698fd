import { DeliverySlot, FulfillmentType, PaymentMethod, PaymentStatus } from '../../../../shared/graphql/checkout';
import { UserErrorException } from '../../../../shared/graphql/user-error';
import {
  businessDate,
  checkCheckout,
  checkDeliveryDate,
  checkoutFees,
  deliveryWindow,
  initialPayment,
  paymentFits,
  paymentTransition,
  type CheckoutRequest,
  type CheckoutSettings,
} from './checkout-rules';

const settings: CheckoutSettings = {
  deliveryLeadDays: 2,
  deliveryHorizonDays: 14,
  shippingFee: 550,
  freeShippingFrom: 5000,
  cashOnDeliveryFee: 330,
  konbiniPaymentDays: 3,
};
const TOKYO = 'Asia/Tokyo';
const { SHIP, SHIP_FROM_STORE, PICKUP_IN_STORE, CARRY_OUT } = FulfillmentType;
const { PAY_AT_STORE, CASH_ON_DELIVERY, CARD, KONBINI } = PaymentMethod;

const address = { recipientName: '山田 花子', postalCode: '150-0041', prefecture: '東京', city: '渋谷区', line1: '神南1-2-3', line2: null, phone: '090-1234-5678' };

/** The userError code (and field) a rule throws, or 'OK'. */
function outcome(work: () => unknown): string {
  try {
    work();
    return 'OK';
  } catch (err) {
    if (err instanceof UserErrorException) return err.code;
    throw err;
  }
}
function fieldOf(work: () => unknown): string[] | null {
  try {
    work();
  } catch (err) {
    if (err instanceof UserErrorException) return err.field;
  }
  return null;
}

const checkout = (type: FulfillmentType, extra: Partial<CheckoutRequest['fulfillment']> = {}, payment: CheckoutRequest['payment'] = null): CheckoutRequest => ({
  fulfillment: { type, ...extra },
  payment,
});

describe('payment methods fit fulfilments', () => {
  it.each([
    [PAY_AT_STORE, [PICKUP_IN_STORE, CARRY_OUT]],
    [CASH_ON_DELIVERY, [SHIP, SHIP_FROM_STORE]],
    [KONBINI, [SHIP, SHIP_FROM_STORE, PICKUP_IN_STORE]],
    [CARD, [SHIP, SHIP_FROM_STORE, PICKUP_IN_STORE, CARRY_OUT]],
  ])('%s fits exactly %j; anything else is PAYMENT_METHOD_NOT_ALLOWED on input.payment.method', (method, fits) => {
    for (const type of Object.values(FulfillmentType)) {
      expect({ type, fits: paymentFits(method, type) }).toEqual({ type, fits: fits.includes(type) });
      const request = checkout(type, type === SHIP || type === SHIP_FROM_STORE ? { address } : {}, { method, reference: 'ref-1' });
      expect({ type, code: outcome(() => checkCheckout(request)) }).toEqual({ type, code: fits.includes(type) ? 'OK' : 'PAYMENT_METHOD_NOT_ALLOWED' });
    }
    expect(fieldOf(() => checkCheckout(checkout(CARRY_OUT, {}, { method: KONBINI, reference: 'r' })))).toEqual(['input', 'payment', 'method']);
  });

  it('needs the reference for CARD and KONBINI (blank is none), not for cash on delivery or at the store', () => {
    for (const method of [CARD, KONBINI]) {
      for (const reference of [null, undefined, '', '   ']) {
        expect(outcome(() => checkCheckout(checkout(SHIP, { address }, { method, reference })))).toBe('PAYMENT_REFERENCE_REQUIRED');
      }
    }
    expect(fieldOf(() => checkCheckout(checkout(SHIP, { address }, { method: CARD })))).toEqual(['input', 'payment', 'reference']);
    expect(checkCheckout(checkout(SHIP, { address }, { method: CASH_ON_DELIVERY })).payment).toEqual({ method: CASH_ON_DELIVERY, reference: null });
    expect(checkCheckout(checkout(PICKUP_IN_STORE, {}, { method: PAY_AT_STORE, reference: ' ' })).payment).toEqual({ method: PAY_AT_STORE, reference: null });
    expect(checkCheckout(checkout(SHIP, { address }, { method: CARD, reference: ' pi_123 ' })).payment).toEqual({ method: CARD, reference: 'pi_123' });
  });

  it('needs a payment for a sale at the till (PAYMENT_REQUIRED)', () => {
    expect(outcome(() => checkCheckout(checkout(CARRY_OUT)))).toBe('PAYMENT_REQUIRED');
    expect(fieldOf(() => checkCheckout(checkout(CARRY_OUT)))).toEqual(['input', 'payment']);
    expect(outcome(() => checkCheckout(checkout(CARRY_OUT, {}, { method: PAY_AT_STORE })))).toBe('OK');
  });
});

describe('delivery', () => {
  it('needs an address to ship a checkout (ADDRESS_REQUIRED), and not without a payment, as before checkout', () => {
    for (const type of [SHIP, SHIP_FROM_STORE]) {
      expect(outcome(() => checkCheckout(checkout(type, {}, { method: CASH_ON_DELIVERY })))).toBe('ADDRESS_REQUIRED');
      expect(checkCheckout(checkout(type))).toEqual({ delivery: { address: null, date: null, slot: null }, payment: null });
    }
    expect(fieldOf(() => checkCheckout(checkout(SHIP, {}, { method: CASH_ON_DELIVERY })))).toEqual(['input', 'fulfillment', 'address']);
  });

  it('normalises the address and passes on the shared codes, with the field at fault', () => {
    expect(checkCheckout(checkout(SHIP, { address }, { method: CASH_ON_DELIVERY })).delivery.address).toEqual({
      recipientName: '山田 花子',
      postalCode: '1500041',
      prefecture: '東京都',
      city: '渋谷区',
      line1: '神南1-2-3',
      line2: null,
      phone: '+819012345678',
    });
    const refused = (change: Partial<typeof address>) => {
      const request = checkout(SHIP, { address: { ...address, ...change } }, { method: CASH_ON_DELIVERY });
      return [outcome(() => checkCheckout(request)), fieldOf(() => checkCheckout(request))];
    };
    expect(refused({ postalCode: '150-041' })).toEqual(['INVALID_POSTAL_CODE', ['input', 'fulfillment', 'address', 'postalCode']]);
    expect(refused({ prefecture: 'Atlantis' })).toEqual(['INVALID_PREFECTURE', ['input', 'fulfillment', 'address', 'prefecture']]);
    expect(refused({ phone: '12345' })).toEqual(['INVALID_PHONE', ['input', 'fulfillment', 'address', 'phone']]);
    expect(refused({ city: '  ' })).toEqual(['INVALID_ADDRESS_FIELD', ['input', 'fulfillment', 'address', 'city']]);
  });

  it('defaults the slot to ANY when a date or an address is given, keeps one asked for, and asks nothing of what ships nothing', () => {
    expect(checkCheckout(checkout(SHIP, { address }, { method: CASH_ON_DELIVERY })).delivery.slot).toBe(DeliverySlot.ANY);
    expect(checkCheckout(checkout(SHIP, { deliveryDate: '2026-12-01' })).delivery).toEqual({ address: null, date: '2026-12-01', slot: DeliverySlot.ANY });
    expect(checkCheckout(checkout(SHIP, { address, deliverySlot: DeliverySlot.H19_21 }, { method: CARD, reference: 'r' })).delivery.slot).toBe(DeliverySlot.H19_21);
    expect(checkCheckout(checkout(SHIP)).delivery.slot).toBeNull();
    // Delivery fields of a pickup or a till sale are ignored, not validated.
    const ignored = { address: { ...address, postalCode: 'x' }, deliveryDate: '1999-01-01', deliverySlot: DeliverySlot.MORNING };
    expect(checkCheckout(checkout(PICKUP_IN_STORE, ignored, { method: PAY_AT_STORE })).delivery).toEqual({ address: null, date: null, slot: null });
    expect(checkCheckout(checkout(CARRY_OUT, ignored, { method: PAY_AT_STORE })).delivery).toEqual({ address: null, date: null, slot: null });
  });

  it("takes delivery dates from today + lead to today + horizon, both included, where today is Tokyo's", () => {
    // 23:59:59 on 23 November in Tokyo (14:59:59 UTC): still the 23rd there.
    const lateEvening = new Date('2026-11-23T14:59:59.999Z');
    expect(businessDate(lateEvening, TOKYO)).toBe('2026-11-23');
    expect(deliveryWindow(lateEvening, TOKYO, settings)).toEqual({ earliest: '2026-11-25', latest: '2026-12-07' });
    const date = (d: string, now: Date) => outcome(() => checkDeliveryDate(d, now, TOKYO, settings));
    expect(['2026-11-24', '2026-11-25', '2026-12-07', '2026-12-08'].map((d) => date(d, lateEvening))).toEqual([
      'DELIVERY_DATE_OUT_OF_RANGE',
      'OK',
      'OK',
      'DELIVERY_DATE_OUT_OF_RANGE',
    ]);
    // A second later it is the 24th in Tokyo (still the 23rd in UTC): the window moves a day.
    const midnight = new Date('2026-11-23T15:00:00.000Z');
    expect(['2026-11-25', '2026-11-26', '2026-12-08', '2026-12-09'].map((d) => date(d, midnight))).toEqual([
      'DELIVERY_DATE_OUT_OF_RANGE',
      'OK',
      'OK',
      'DELIVERY_DATE_OUT_OF_RANGE',
    ]);
    // Across a month and a year end.
    expect(deliveryWindow(new Date('2026-12-25T03:00:00Z'), TOKYO, settings)).toEqual({ earliest: '2026-12-27', latest: '2027-01-08' });
    expect(fieldOf(() => checkDeliveryDate('2026-11-25', midnight, TOKYO, settings))).toEqual(['input', 'fulfillment', 'deliveryDate']);
    expect(outcome(() => checkDeliveryDate(null, midnight, TOKYO, settings))).toBe('OK');
  });
});

describe('fees', () => {
  it.each([
    // type, method, goods → shipping fee, payment fee
    [SHIP, CARD, 4999, 550, null],
    [SHIP, CARD, 5000, 0, null],
    [SHIP, CARD, 12_000, 0, null],
    [SHIP_FROM_STORE, KONBINI, 1000, 550, null],
    [SHIP, CASH_ON_DELIVERY, 3000, 550, 330],
    [SHIP, CASH_ON_DELIVERY, 5000, 0, 330],
    [SHIP_FROM_STORE, CASH_ON_DELIVERY, 6000, 0, 330],
    [PICKUP_IN_STORE, PAY_AT_STORE, 1000, null, null],
    [PICKUP_IN_STORE, KONBINI, 1000, null, null],
    [CARRY_OUT, CARD, 1000, null, null],
  ])('%s paid by %s with goods of %i: shipping %p, payment fee %p', (type, method, goods, shippingFee, paymentFee) => {
    expect(checkoutFees(type, method, goods, settings)).toEqual({ shippingFee, paymentFee });
  });

  it('charges nothing without a payment (orders placed as before checkout)', () => {
    for (const type of Object.values(FulfillmentType)) expect(checkoutFees(type, null, 100, settings)).toEqual({ shippingFee: null, paymentFee: null });
  });
});

describe('payments', () => {
  const placedAt = new Date('2026-11-23T10:00:00Z');

  it('starts CARD authorised, a till sale paid, the rest pending; a konbini payment has its deadline', () => {
    expect(initialPayment({ method: CARD, reference: 'pi' }, SHIP, placedAt, settings)).toEqual({ method: CARD, reference: 'pi', status: PaymentStatus.AUTHORIZED, deadline: null, paidAt: null });
    expect(initialPayment({ method: CARD, reference: 'pos-1' }, CARRY_OUT, placedAt, settings)).toEqual({ method: CARD, reference: 'pos-1', status: PaymentStatus.PAID, deadline: null, paidAt: placedAt });
    expect(initialPayment({ method: PAY_AT_STORE, reference: null }, CARRY_OUT, placedAt, settings).status).toBe(PaymentStatus.PAID);
    expect(initialPayment({ method: PAY_AT_STORE, reference: null }, PICKUP_IN_STORE, placedAt, settings).status).toBe(PaymentStatus.PENDING);
    expect(initialPayment({ method: CASH_ON_DELIVERY, reference: null }, SHIP, placedAt, settings).status).toBe(PaymentStatus.PENDING);
    expect(initialPayment({ method: KONBINI, reference: 'k-1' }, SHIP, placedAt, settings)).toEqual({
      method: KONBINI,
      reference: 'k-1',
      status: PaymentStatus.PENDING,
      deadline: new Date('2026-11-26T10:00:00Z'),
      paidAt: null,
    });
  });

  it('moves PENDING and AUTHORIZED to PAID or FAILED, PAID to REFUNDED; the same status is no change; nothing else', () => {
    const { PENDING, AUTHORIZED, PAID, FAILED, REFUNDED } = PaymentStatus;
    const allowed = new Set([`${PENDING}>${PAID}`, `${PENDING}>${FAILED}`, `${AUTHORIZED}>${PAID}`, `${AUTHORIZED}>${FAILED}`, `${PAID}>${REFUNDED}`]);
    for (const from of Object.values(PaymentStatus)) {
      for (const to of Object.values(PaymentStatus)) {
        const expected = from === to ? 'SAME' : allowed.has(`${from}>${to}`) ? 'ALLOWED' : 'ILLEGAL';
        expect({ from, to, move: paymentTransition(from, to) }).toEqual({ from, to, move: expected });
      }
    }
  });
});
