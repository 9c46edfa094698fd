import { z } from 'zod';
import { MAX_LINE_QUANTITY, MAX_ORDER_TOTAL, MAX_STOCK_LEVEL } from '../bounds';
import type { EventPayloads, EventType } from './catalog';
import type { EventEnvelope } from './envelope';

/**
 * The catalog (`catalog.ts`, where each payload is documented) as runtime schemas: every stream entry
 * a consumer reads is checked against them on its own before any handler sees it. The compiler
 * checks below keep the two the same: change a payload in the catalog and here together.
 */

// Bounded as the services bound what they accept (shared/bounds.ts): a payload out of them is junk, not data.
const id = z.string().min(1).max(200);
const time = z.string().datetime({ offset: true });
const count = z.number().int().min(-MAX_STOCK_LEVEL).max(MAX_STOCK_LEVEL);
const quantity = z.number().int().positive().max(MAX_LINE_QUANTITY);
const money = z.number().int().min(0).max(MAX_ORDER_TOTAL);
const channel = z.enum(['EC', 'APP', 'STORE', 'PARTNER']);
const nullableId = id.nullable();

const identityEvent = z.object({ customerId: id, identityType: id, identityValue: z.string() });

/** One schema per event type (version 1). Unknown fields are allowed (a newer producer may add some). */
export const PAYLOAD_SCHEMAS = {
  'customer.registered': z.object({ customerId: id, channel: channel.nullable() }),
  'customer.identity_linked': identityEvent,
  'customer.identity_unlinked': identityEvent,
  'customer.merged': z.object({ mergeId: id, survivorId: id, mergedId: id, mergedAt: time }),
  'customer.unmerged': z.object({ mergeId: id, survivorId: id, mergedId: id, restoredIds: z.array(id), holderId: id.optional() }),
  'customer.erased': z.object({ customerId: id, erasedIds: z.array(id), erasedAt: time }),
  'customer.consent_changed': z.object({
    customerId: id,
    purpose: z.enum(['EMAIL_MARKETING', 'PUSH', 'PERSONALIZATION', 'PARTNER_SHARING']),
    granted: z.boolean(),
    changedAt: time,
  }),
  'customer.event_tracked': z.object({
    eventId: id,
    type: z.enum(['PAGE_VIEW', 'PRODUCT_VIEW', 'SEARCH', 'ADD_TO_CART', 'STORE_CHECK_IN', 'APP_OPEN']),
    channel,
    occurredAt: time,
    customerId: nullableId,
    identityType: z.string().nullable(),
    identityValue: z.string().nullable(),
    productId: nullableId,
    variantId: nullableId,
    locationId: nullableId,
  }),
  'order.placed': z.object({
    orderId: id,
    number: z.string(),
    channel,
    customerId: nullableId,
    customerIdentity: z.object({ type: id, value: z.string() }).nullable(),
    locationId: nullableId,
    placedAt: time,
    total: money,
    currencyCode: z.string().regex(/^[A-Z]{3}$/),
    lines: z.array(z.object({ variantId: id, productId: id, quantity, unitPrice: money })),
    stockEffect: z.enum(['NONE', 'SOLD_AT_LOCATION', 'COMMIT_RESERVATION']).optional(),
    reservationId: id.optional(),
  }),
  'order.cancelled': z.object({
    orderId: id,
    channel,
    customerId: nullableId,
    cancelledAt: time,
    reason: z.string().nullable(),
    restock: z.object({ locationId: id, lines: z.array(z.object({ variantId: id, productId: id, quantity })) }).nullable(),
    reservationId: id.optional(),
  }),
  'order.returned': z.object({
    orderId: id,
    returnId: id,
    channel,
    customerId: nullableId,
    locationId: id,
    returnedAt: time,
    refundTotal: money,
    lines: z.array(z.object({ variantId: id, productId: id, quantity, refund: money })),
  }),
  'product.changed': z.object({
    productId: id,
    code: z.string(),
    brand: z.string(),
    category: z.string(),
    price: money,
    releasedAt: time,
    soldOnline: z.boolean(),
    variantIds: z.array(id),
    variants: z.array(z.object({ variantId: id, size: z.string(), color: z.string() })).optional(),
  }),
  'stock.shortage': z.object({
    orderId: id,
    reservationId: id,
    locationId: id,
    recordedAt: time,
    lines: z.array(z.object({ variantId: id, productId: id, quantity, short: quantity })),
  }),
  'stock.changed': z.object({
    locationId: id,
    locationType: z.enum(['STORE', 'WAREHOUSE']).optional(),
    asOf: time.optional(),
    levels: z.array(z.object({ variantId: id, productId: id, onHand: count, reserved: count, available: count })),
  }),
  'cart.changed': z.object({
    cartId: id,
    customerId: nullableId,
    channel,
    itemCount: z.number().int().min(0).max(MAX_STOCK_LEVEL),
    changedAt: time,
    added: z.array(z.object({ variantId: id, productId: id, quantity })),
    orderId: nullableId,
  }),
} satisfies { [K in EventType]: z.ZodTypeAny };

// The compiler's check that each schema describes exactly its payload in the catalog: a mismatch
// names the event type in the error below.
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Mismatched = { [K in EventType]: Same<z.infer<(typeof PAYLOAD_SCHEMAS)[K]>, EventPayloads[K]> extends true ? never : K }[EventType];
function noneMismatched<T extends never>(): void {}
noneMismatched<Mismatched>();

const ENVELOPE = z.object({
  // processed_event.event_id is varchar(36): a UUID.
  id: z.string().min(1).max(36),
  type: z.string(),
  version: z.literal(1),
  occurredAt: time,
  producer: z.string(),
  key: z.string(),
  payload: z.unknown(),
});

/** Why an entry cannot be handled at all: it is not JSON, or not an event of the catalog. */
export type UndecodableReason = 'UNPARSEABLE' | 'INVALID';

export type Decoded =
  | { ok: true; event: EventEnvelope }
  | { ok: false; reason: UndecodableReason; error: string; eventId: string | null; type: string | null };

/**
 * Reads one stream entry as it travelled (JSON text from Redis, or the object the in-process bus
 * carries) and checks it against the envelope and its type's payload schema. The event returned is
 * the entry itself, unknown fields included.
 */
export function decodeEvent(producer: string, entry: unknown): Decoded {
  let value = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch (err) {
      return { ok: false, reason: 'UNPARSEABLE', error: `not JSON: ${(err as Error).message}`, eventId: null, type: null };
    }
  }
  const loose = (value ?? {}) as { id?: unknown; type?: unknown };
  const eventId = typeof loose.id === 'string' && loose.id.length <= 64 ? loose.id : null;
  const type = typeof loose.type === 'string' && loose.type.length <= 64 ? loose.type : null;
  const invalid = (error: string): Decoded => ({ ok: false, reason: 'INVALID', error, eventId, type });
  const envelope = ENVELOPE.safeParse(value);
  if (!envelope.success) return invalid(describe(envelope.error, []));
  const { data } = envelope;
  if (data.producer !== producer) return invalid(`producer: "${data.producer}" on the stream of ${producer}`);
  if (!(data.type in PAYLOAD_SCHEMAS)) return invalid(`type: "${data.type}" is not in the catalog`);
  const payload = PAYLOAD_SCHEMAS[data.type as EventType].safeParse(data.payload);
  if (!payload.success) return invalid(describe(payload.error, ['payload']));
  return { ok: true, event: value as EventEnvelope };
}

function describe(error: z.ZodError, prefix: string[]): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${[...prefix, ...issue.path].join('.') || '(entry)'}: ${issue.message}`)
    .join('; ');
}
