import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateOrders } from '../subgraphs/recommendations/src/evaluation/evaluate';
import { parseTimestamp } from '../subgraphs/recommendations/src/evaluation/order-csv';

const USAGE = `usage: npm run -s recs:evaluate -- --orders FILE.csv --cutoff DATE [--k 10]
Trains on the orders before the cutoff and prints Recall@k, HR@k and NDCG@k of the recommender and two
baselines over the customers who bought both before and after it. CSV format: README.md, "Offline evaluation".`;

/** `npm run recs:evaluate`: offline evaluation of the service's ranking on a CSV of orders. */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { orders: { type: 'string' }, cutoff: { type: 'string' }, k: { type: 'string', default: '10' } } });
  if (!values.orders || !values.cutoff) throw new Error(USAGE);
  const cutoff = parseTimestamp(values.cutoff);
  if (cutoff === null) throw new Error(`--cutoff must be an ISO 8601 date or date-time\n${USAGE}`);
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k must be a positive integer\n${USAGE}`);

  const started = Date.now();
  const report = await evaluateOrders(fs.createReadStream(values.orders), { cutoff: new Date(cutoff), k });
  const { read } = report;
  console.log(`${read.rows} rows read, ${read.ignored} ignored (no customer or quantity ≤ 0), ${read.malformed} malformed`);
  for (const { line, error } of read.examples) console.error(`  line ${line}: ${error}`);
  if (read.malformed > read.examples.length) console.error(`  … and ${read.malformed - read.examples.length} more`);
  console.log(
    `training: ${report.trainingRows} rows before ${new Date(cutoff).toISOString()}, ${report.customers} customers, ${report.items} items; ` +
      `test: ${report.testCustomers} customers who bought before and after`,
  );
  const width = Math.max(...report.results.map((r) => r.name.length));
  console.log(`${'model'.padEnd(width)}  Recall@${k}  HR@${k}   NDCG@${k}`);
  for (const { name, metrics } of report.results) {
    const cell = (x: number) => x.toFixed(4).padEnd(9);
    console.log(`${name.padEnd(width)}  ${cell(metrics.recall)}  ${cell(metrics.hitRate)}${cell(metrics.ndcg)}`);
  }
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
