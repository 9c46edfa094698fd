import type { DemoData } from './demo-data';

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** The header and one line per order line of the demo orders, in the CSV `npm run recs:evaluate` reads. */
export function* demoOrdersCsv(orders: DemoData['orders']): Generator<string> {
  yield 'customer_id,item_id,timestamp,quantity,location_id';
  for (const order of orders) {
    // Only a store sale is that store's: an online order collected in a store is not (as in the service).
    const location = order.channel === 'STORE' ? (order.locationId ?? '') : '';
    for (const l of order.lines) {
      yield [order.customerId ?? '', l.productId, order.placedAt.toISOString(), String(l.quantity), location].map(csvField).join(',');
    }
  }
}
