import fs from 'node:fs';
import type { Config } from '../../shared/config';
import { testConfig } from '../../shared/testkit';
import type { DemoData } from '../../scripts/seed/demo-data';
import { resetAll, seedDemoData } from '../../scripts/seed/seed';
import { startGraph, type RunningGraph } from '../../scripts/start-all';

export interface TestGraph extends RunningGraph {
  data: DemoData;
  /** Stops the graph and removes its databases, Redis keys and files. */
  teardown(): Promise<void>;
}

/** The whole graph on ephemeral ports, seeded with a small demo data set. */
export async function startTestGraph(options: { scale?: number; config?: Config } = {}): Promise<TestGraph> {
  const config = options.config ?? testConfig();
  const graph = await startGraph(config);
  try {
    const data = await seedDemoData(graph, { scale: options.scale ?? 0.02 });
    return {
      ...graph,
      data,
      async teardown() {
        await graph.stop();
        await resetAll(config);
        fs.rmSync(config.dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await graph.stop();
    throw err;
  }
}
