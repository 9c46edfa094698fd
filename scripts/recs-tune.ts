import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { defaultValidationCutoff } from '../subgraphs/recommendations/src/evaluation/evaluate';
import { parseTimestamp, readOrderRows } from '../subgraphs/recommendations/src/evaluation/order-csv';
import { personalFrequencyBaseline, projectRecommender } from '../subgraphs/recommendations/src/evaluation/recommenders';
import { OrderSplit, type TrainingSet } from '../subgraphs/recommendations/src/evaluation/training-set';
import { measure } from '../subgraphs/recommendations/src/evaluation/tuning';
import { RANKING_PARAMETERS, type RankingParameters } from '../subgraphs/recommendations/src/ranking/scoring';

const USAGE = `usage: node -r ts-node/register/transpile-only scripts/recs-tune.ts --orders A.csv --cutoff DATE [--orders B.csv --cutoff DATE ...] [--k 10]
Searches the ranking's parameters (RANKING_PARAMETERS in scoring.ts) on each file's validation split, the period
before its cutoff as long as the one after it, as \`npm run recs:evaluate\` carves it: never on the test period.
The objective is the mean, over files, of Recall@k and NDCG@k relative to the personal-frequency baseline.`;

/** The values tried per parameter, around the current ones. */
const GRID: Record<keyof RankingParameters, number[]> = {
  purchaseHalfLifeDays: [60, 90, 180, 365, 730],
  neighbourWeight: [0.05, 0.075, 0.1, 0.15, 0.2, 0.3],
  repeatExponent: [0, 0.25, 0.5, 0.75, 1],
  unitsPerOrderExponent: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
  popularityExponent: [0, 0.125, 0.25, 0.375, 0.5],
  trendExponent: [0, 0.25, 0.5, 0.75, 1],
  trendHalfLifeDays: [5, 7, 10, 14, 21, 30],
  repeatPriorBuyers: [1, 2, 5, 10, 20, 40],
};

/** `recs-tune`: how RANKING_PARAMETERS were chosen (README, "How styles are ranked"), to run again on other data. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { orders: { type: 'string', multiple: true }, cutoff: { type: 'string', multiple: true }, k: { type: 'string', default: '10' } },
  });
  const files = values.orders ?? [];
  const cutoffs = (values.cutoff ?? []).map(parseTimestamp);
  if (!files.length || files.length !== cutoffs.length || cutoffs.some((c) => c === null)) throw new Error(USAGE);
  const k = Number(values.k);
  const splits: Array<{ name: string; validation: TrainingSet; reference: { recall: number; ndcg: number } }> = [];
  for (const [i, file] of files.entries()) {
    const cutoff = cutoffs[i]!;
    const split = new OrderSplit(cutoff);
    await readOrderRows(fs.createReadStream(file), (row) => split.add(row));
    const train = split.finish();
    const validation = train.before(defaultValidationCutoff(new Date(cutoff), split.lastAt).getTime()).train;
    const reference = measure(validation, personalFrequencyBaseline(validation), k);
    console.log(`${file}: validation from ${new Date(validation.cutoff).toISOString()}, ${validation.testCustomers.length} customers; personal frequency Recall@${k} ${reference.recall.toFixed(4)} NDCG@${k} ${reference.ndcg.toFixed(4)}`);
    splits.push({ name: file, validation, reference });
  }
  const score = (p: RankingParameters) => {
    const each = splits.map(({ validation, reference }) => {
      const m = measure(validation, projectRecommender(validation, p), k);
      return { recall: m.recall, ndcg: m.ndcg, gain: (m.recall / reference.recall + m.ndcg / reference.ndcg) / 2 };
    });
    return { each, objective: each.reduce((s, e) => s + e.gain, 0) / each.length };
  };
  const show = (label: string, p: RankingParameters, s: ReturnType<typeof score>) =>
    console.log(`${label.padEnd(28)} ×${s.objective.toFixed(4)}  ${s.each.map((e) => `${e.recall.toFixed(4)}/${e.ndcg.toFixed(4)}`).join('  ')}  ${JSON.stringify(p)}`);
  let best = { parameters: { ...RANKING_PARAMETERS }, ...score(RANKING_PARAMETERS) };
  show('start (RANKING_PARAMETERS)', best.parameters, best);
  for (let pass = 1, changed = true; changed && pass <= 3; pass++) {
    changed = false;
    for (const name of Object.keys(GRID) as Array<keyof RankingParameters>) {
      for (const value of GRID[name]) {
        if (value === best.parameters[name]) continue;
        const parameters = { ...best.parameters, [name]: value };
        const s = score(parameters);
        if (s.objective > best.objective + 1e-6) (best = { parameters, ...s }), (changed = true);
      }
      show(`pass ${pass}: ${name} = ${best.parameters[name]}`, best.parameters, best);
    }
  }
  console.log(`best: ${JSON.stringify(best.parameters)}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
