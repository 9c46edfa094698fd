/**
 * Offline evaluation: train before the cutoff, score top-k lists against what test customers bought
 * after. The baselines' parameters are chosen on a validation split carved from the end of the
 * training period (as long as the test period), never on the test period; the recommender's are the
 * service's (RANKING_PARAMETERS), chosen the same way once.
 */
import type { Readable } from 'node:stream';
import type { MeanMetrics } from './metrics';
import { readOrderRows, type ColumnName, type ReadSummary } from './order-csv';
import {
  itemKnnBaseline,
  personalFrequencyBaseline,
  popularityBaseline,
  projectRecommender,
  tifuBaseline,
  type Recommender,
} from './recommenders';
import { TIFU_PUBLISHED, type TifuParameters } from './tifu-knn';
import { OrderSplit, type TrainingSet } from './training-set';
import { ITEM_KNN_DEFAULT, measure, tuneItemKnn, tuneTifu } from './tuning';

const DAY_MS = 86_400_000;

export interface ModelResult {
  name: string;
  metrics: MeanMetrics;
}

export interface SplitSummary {
  cutoff: Date;
  trainingRows: number;
  customers: number;
  items: number;
  testCustomers: number;
  results: ModelResult[];
}

export interface EvaluationReport extends SplitSummary {
  read: ReadSummary;
  /** The validation split the baselines were tuned on; null when it has no test customers (defaults used). */
  validation: SplitSummary | null;
  tuned: { itemKnnNeighbours: number; tifu: TifuParameters; tifuSettingsTried: number };
}

export interface EvaluationOptions {
  cutoff: Date;
  k: number;
  /** Where the validation split starts; by default as long before the cutoff as the test period lasts. */
  validationCutoff?: Date;
  /** The file's own names of the columns (order-csv.ts). */
  columns?: Partial<Record<ColumnName, string>>;
}

export async function evaluateOrders(input: Readable, options: EvaluationOptions): Promise<EvaluationReport> {
  const split = new OrderSplit(options.cutoff.getTime());
  const read = await readOrderRows(input, (row) => split.add(row), options.columns);
  const train = split.finish();
  const validationCutoff = options.validationCutoff ?? defaultValidationCutoff(options.cutoff, split.lastAt);
  const validation = validationCutoff < options.cutoff ? train.before(validationCutoff.getTime()).train : null;
  const tunable = validation && validation.testCustomers.length > 0 ? validation : null;

  const itemKnn = tunable ? tuneItemKnn(tunable, options.k).neighbours : ITEM_KNN_DEFAULT;
  const tifu = tunable ? tuneTifu(tunable, options.k) : { parameters: TIFU_PUBLISHED, tried: 0 };
  const models = (set: TrainingSet): Array<{ name: string; recommend: Recommender }> => [
    { name: 'recommender (rank)', recommend: projectRecommender(set) },
    { name: 'baseline: global popularity', recommend: popularityBaseline(set) },
    { name: 'baseline: personal frequency + popularity', recommend: personalFrequencyBaseline(set) },
    { name: `baseline: item-kNN (${itemKnn} neighbours)`, recommend: itemKnnBaseline(set, itemKnn) },
    { name: `baseline: TIFU-KNN (${describeTifu(tifu.parameters)})`, recommend: tifuBaseline(set, tifu.parameters) },
  ];
  const summarise = (set: TrainingSet): SplitSummary => ({
    cutoff: new Date(set.cutoff),
    trainingRows: set.rowCount,
    customers: set.customerIds.length,
    items: set.itemIds.length,
    testCustomers: set.testCustomers.length,
    results: models(set).map(({ name, recommend }) => ({ name, metrics: measure(set, recommend, options.k) })),
  });
  return {
    read,
    ...summarise(train),
    validation: tunable ? summarise(tunable) : null,
    tuned: { itemKnnNeighbours: itemKnn, tifu: tifu.parameters, tifuSettingsTried: tifu.tried },
  };
}

/** The validation split starts as many whole days before the cutoff as the test period lasts after it. */
export function defaultValidationCutoff(cutoff: Date, lastTestAt: number): Date {
  const horizonDays = Math.max(1, Math.ceil((lastTestAt - cutoff.getTime()) / DAY_MS));
  return new Date(cutoff.getTime() - horizonDays * DAY_MS);
}

export function describeTifu(p: TifuParameters): string {
  return `m=${p.groups} rb=${p.withinDecay} rg=${p.groupDecay} k=${p.neighbours} alpha=${p.alpha}`;
}
