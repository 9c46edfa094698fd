import fs from 'node:fs';

/** What `npm run bench` asks of one load run (a JSON file named by the first argument). */
export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  /** Request bodies, sent in turn (e.g. one customer after another). */
  bodies: string[];
  connections: number;
  seconds: number;
}

/** What one load run measured. */
export interface LoadReport {
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** Responses other than HTTP 2xx, connection errors and timeouts, and answers carrying GraphQL errors. */
  failures: number;
  firstFailure?: string;
}

interface AutocannonResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;

/**
 * The bench's load generator, a process of its own so that its CPU is nobody's figure:
 * autocannon at a fixed number of connections for a fixed time, writing a LoadReport as JSON.
 */
async function main(): Promise<void> {
  const plan = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadPlan;
  const autocannon = require('autocannon') as Autocannon;
  let next = 0;
  let answersWithErrors = 0;
  let firstFailure: string | undefined;
  const result = await autocannon({
    url: plan.url,
    method: 'POST',
    connections: plan.connections,
    duration: plan.seconds,
    headers: { 'content-type': 'application/json', ...plan.headers },
    requests: [
      {
        setupRequest: (request: Record<string, unknown>) => ({ ...request, body: plan.bodies[next++ % plan.bodies.length] }),
        onResponse: (status: number, body: string) => {
          if (status === 200 && !body.includes('"errors"')) return;
          if (status === 200) answersWithErrors++;
          firstFailure ??= `HTTP ${status}: ${body.slice(0, 500)}`;
        },
      },
    ],
  });
  const report: LoadReport = {
    requests: result.requests.total,
    seconds: result.duration,
    perSecond: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts + answersWithErrors,
    firstFailure,
  };
  process.stdout.write(JSON.stringify(report));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
