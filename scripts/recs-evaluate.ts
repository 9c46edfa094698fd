import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { evaluateOrders, type SplitSummary } from '../subgraphs/recommendations/src/evaluation/evaluate';
import { COLUMN_NAMES, parseTimestamp, type ColumnName } from '../subgraphs/recommendations/src/evaluation/order-csv';

const USAGE = `usage: npm run -s recs:evaluate -- --orders FILE.csv --cutoff DATE [--k 10] [--validation-cutoff DATE]
    [--columns customer_id=CustomerID,item_id=StockCode,timestamp=InvoiceDate,quantity=Quantity,location_id=Country,category=Category]
Trains on the orders before the cutoff and prints Recall@k, NDCG@k, HR@k and Recall@k on repeat and
explore items of the recommender and four baselines over the customers who bought both before and
after it. The baselines' parameters are chosen on a validation split (by default: the period before
the cutoff as long as the one after it). --columns names the file's own columns where they differ.
CSV format: README.md, "How styles are ranked, and offline evaluation".`;

/** `npm run recs:evaluate`: offline evaluation of the service's ranking on a CSV of orders. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string' },
      cutoff: { type: 'string' },
      k: { type: 'string', default: '10' },
      'validation-cutoff': { type: 'string' },
      columns: { type: 'string' },
    },
  });
  const columns: Partial<Record<ColumnName, string>> = {};
  for (const pair of values.columns ? values.columns.split(',') : []) {
    const [column, name] = pair.split('=').map((x) => x.trim());
    if (!(COLUMN_NAMES as readonly string[]).includes(column) || !name) throw new Error(`--columns takes column=name pairs, the columns ${COLUMN_NAMES.join(', ')}\n${USAGE}`);
    columns[column as ColumnName] = name;
  }
  if (!values.orders || !values.cutoff) throw new Error(USAGE);
  const cutoff = parseTimestamp(values.cutoff);
  if (cutoff === null) throw new Error(`--cutoff must be an ISO 8601 date or date-time\n${USAGE}`);
  const validationCutoff = values['validation-cutoff'] === undefined ? undefined : parseTimestamp(values['validation-cutoff']);
  if (validationCutoff === null || (validationCutoff !== undefined && validationCutoff >= cutoff)) {
    throw new Error(`--validation-cutoff must be an ISO 8601 date or date-time before --cutoff\n${USAGE}`);
  }
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1) throw new Error(`--k must be a positive integer\n${USAGE}`);

  const started = Date.now();
  const report = await evaluateOrders(fs.createReadStream(values.orders), {
    cutoff: new Date(cutoff),
    k,
    validationCutoff: validationCutoff === undefined ? undefined : new Date(validationCutoff),
    columns,
  });
  const { read } = report;
  console.log(`${read.rows} rows read, ${read.ignored} ignored (no customer or quantity ≤ 0), ${read.malformed} malformed`);
  for (const { line, error } of read.examples) console.error(`  line ${line}: ${error}`);
  if (read.malformed > read.examples.length) console.error(`  … and ${read.malformed - read.examples.length} more`);
  if (report.validation) {
    console.log(`\nvalidation (choosing the baselines' parameters): ${describe(report.validation, report.cutoff)}`);
    printTable(report.validation, k);
  } else {
    console.log('\nno validation split (no customer bought both before and after it): the baselines keep their default parameters');
  }
  console.log(`\ntest: ${describe(report, null)}`);
  printTable(report, k);
  console.log(`(${((Date.now() - started) / 1000).toFixed(1)} s; ${report.tuned.tifuSettingsTried} TIFU-KNN vector settings tried)`);
}

function describe(split: SplitSummary, until: Date | null): string {
  const truth = until ? `truth until ${until.toISOString()}` : 'truth from then on';
  return (
    `${split.trainingRows} rows before ${split.cutoff.toISOString()}, ${split.customers} customers, ${split.items} items; ` +
    `${truth}; ${split.testCustomers} customers who bought before and after`
  );
}

/** A Markdown table between blank lines, so that the README shows it as printed. */
function printTable(split: SplitSummary, k: number): void {
  console.log(`\n| model | Recall@${k} | NDCG@${k} | HR@${k} | Recall@${k} repeat | Recall@${k} explore |`);
  console.log('|---|---|---|---|---|---|');
  for (const { name, metrics } of split.results) {
    const cells = [metrics.recall, metrics.ndcg, metrics.hitRate, metrics.repeat.recall, metrics.explore.recall].map((x) => x.toFixed(4));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
  const { repeat, explore } = split.results[0].metrics;
  console.log(`\n(repeat: over the ${repeat.customers} customers who bought again something they had bought; explore: the ${explore.customers} who bought something new to them)`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
