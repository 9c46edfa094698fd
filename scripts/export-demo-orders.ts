import fs from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { generateDemoData } from './seed/demo-data';
import { demoOrdersCsv } from './seed/demo-orders-csv';
import { DEMO_SEED, startOfTodayUtc } from './seed/seed';

const USAGE = `usage: npm run -s recs:export-demo -- --out FILE.csv [--anchor DATE]
Writes the demo data's orders (scale 1, the seed's DEMO_SEED; anchor: the seed's, the start of today UTC)
as CSV customer_id,item_id,timestamp,quantity,location_id for \`npm run recs:evaluate\`.`;

/** `npm run recs:export-demo`: the demo orders in the evaluation's CSV format, one row per order line. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: 'string' }, anchor: { type: 'string' } } });
  if (!values.out) throw new Error(USAGE);
  const anchor = values.anchor ? new Date(values.anchor) : startOfTodayUtc();
  if (Number.isNaN(anchor.getTime())) throw new Error(`--anchor must be an ISO 8601 date\n${USAGE}`);
  const { orders } = generateDemoData({ scale: 1, seed: DEMO_SEED, anchor });
  const out = fs.createWriteStream(values.out);
  let rows = -1; // the header is not an order line
  for (const line of demoOrdersCsv(orders)) {
    rows++;
    if (!out.write(line + '\n')) await once(out, 'drain');
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
