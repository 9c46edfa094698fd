/** Offline evaluation: train before the cutoff, score top-k lists against what test customers bought after. */
import type { Readable } from 'node:stream';
import { MetricMeans, scoreList, type Metrics } from './metrics';
import { readOrderRows, type ReadSummary } from './order-csv';
import { ownHistoryBaseline, popularityBaseline, projectRecommender, type Recommender } from './recommenders';
import { OrderSplit } from './training-set';

export interface EvaluationReport {
  read: ReadSummary;
  trainingRows: number;
  customers: number;
  items: number;
  testCustomers: number;
  results: Array<{ name: string; metrics: Metrics }>;
}

export async function evaluateOrders(input: Readable, options: { cutoff: Date; k: number }): Promise<EvaluationReport> {
  const split = new OrderSplit(options.cutoff.getTime());
  const read = await readOrderRows(input, (row) => split.add(row));
  const train = split.finish();
  const recommenders: Array<{ name: string; recommend: Recommender }> = [
    { name: 'recommender (rank)', recommend: projectRecommender(train) },
    { name: 'baseline: global popularity', recommend: popularityBaseline(train) },
    { name: 'baseline: own most-bought + popularity', recommend: ownHistoryBaseline(train) },
  ];
  const results = recommenders.map(({ name, recommend }) => {
    const means = new MetricMeans();
    for (const { customer, truth } of train.testCustomers) means.add(scoreList(recommend(customer, options.k), truth, options.k));
    return { name, metrics: means.mean() };
  });
  return {
    read,
    trainingRows: train.rowCount,
    customers: train.customerIds.length,
    items: train.itemIds.length,
    testCustomers: train.testCustomers.length,
    results,
  };
}
