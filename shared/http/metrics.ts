import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** A service's own Prometheus registry (several services share one process in the embedded default). */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status.',
    labelNames: ['route', 'status'],
    registers: [registry],
  });
  const graphqlOperations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name and outcome (ok, error).',
    labelNames: ['operation', 'outcome'],
    registers: [registry],
  });
  return { registry, httpDuration, graphqlOperations };
}

export type ServiceMetrics = ReturnType<typeof createMetrics>;
