import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateDemoData } from './seed/demo-data';
import { DEMO_SEED, startOfTodayUtc } from './seed/seed';

const USAGE = `usage: npm run -s recs:export-demo -- --out FILE.csv [--anchor DATE]
Writes the demo data's orders (scale 1, the seed's DEMO_SEED; anchor: the seed's, the start of today UTC)
as CSV customer_id,item_id,timestamp,quantity,location_id for \`npm run recs:evaluate\`.`;

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

/** `npm run recs:export-demo`: the demo orders in the evaluation's CSV format, one row per order line. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, anchor: { type: 'string' } } });
  if (!values.out) throw new Error(USAGE);
  const anchor = values.anchor ? new Date(values.anchor) : startOfTodayUtc();
  if (Number.isNaN(anchor.getTime())) throw new Error(`--anchor must be an ISO 8601 date\n${USAGE}`);
  const { orders } = generateDemoData({ scale: 1, seed: DEMO_SEED, anchor });
  const out = fs.createWriteStream(values.out);
  out.write('customer_id,item_id,timestamp,quantity,location_id\n');
  let rows = 0;
  for (const order of orders) {
    // Only a store sale is that store's: an online order collected in a store is not (as in the service).
    const location = order.channel === 'STORE' ? (order.locationId ?? '') : '';
    const lines = order.lines.map((l) =>
      [order.customerId ?? '', l.productId, order.placedAt.toISOString(), String(l.quantity), location].map(csvField).join(','),
    );
    rows += lines.length;
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const first = orders[0]?.placedAt.toISOString() ?? '-';
  const last = orders[orders.length - 1]?.placedAt.toISOString() ?? '-';
  console.log(`${rows} order lines of ${orders.length} orders (${first} … ${last}) written to ${values.out}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
