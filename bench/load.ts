/** What a load run measured: latencies in milliseconds, sorted, and the requests per second. */
export interface LoadResult {
  latencies: number[];
  perSecond: number;
  /** The latency at percentile p (0-100), formatted in ms. */
  percentile(p: number): string;
}

/**
 * Sends `requests` requests, `concurrency` at a time, each by `send(i)` (i counts from 0), and times
 * each one. A request that fails stops the run: a benchmark of errors measures nothing.
 */
export async function runLoad(requests: number, concurrency: number, send: (i: number) => Promise<void>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < requests) {
      const i = next++;
      const started = process.hrtime.bigint();
      await send(i);
      latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (Date.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    latencies,
    perSecond: requests / seconds,
    percentile: (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1),
  };
}
