import type { ApolloError } from '@apollo/client';
import type { GraphQLFormattedError } from 'graphql';

export interface Problem {
  code: string;
  /** The subgraph that did not answer (UNAVAILABLE). */
  service?: string;
  paths: string[];
  message: string;
  retryAfter?: number;
}

function pathOf(error: GraphQLFormattedError): string {
  return (error.path ?? []).filter((p) => typeof p === 'string').join('.');
}

/** The graph's errors of an answer, one entry per kind (and service): what the page says is missing, and why. */
export function problemsOf(error: ApolloError | undefined): Problem[] {
  if (!error) return [];
  const problems = new Map<string, Problem>();
  for (const e of error.graphQLErrors ?? []) {
    const code = String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    const service = typeof e.extensions?.service === 'string' ? e.extensions.service : undefined;
    const key = `${code}:${service ?? ''}`;
    const problem = problems.get(key) ?? { code, service, paths: [], message: e.message, retryAfter: Number(e.extensions?.retryAfter) || undefined };
    const path = pathOf(e);
    if (path && !problem.paths.includes(path)) problem.paths.push(path);
    problems.set(key, problem);
  }
  if (error.networkError) {
    const status = (error.networkError as { statusCode?: number }).statusCode;
    // The gateway answers refusals (429, 400) with GraphQL errors in the body, which Apollo keeps here.
    const result = (error.networkError as { result?: { errors?: GraphQLFormattedError[] } }).result;
    const refusal = result?.errors?.[0];
    if (refusal) {
      problems.set('network', {
        code: String(refusal.extensions?.code ?? 'NETWORK'),
        paths: [],
        message: refusal.message,
        retryAfter: Number(refusal.extensions?.retryAfter) || undefined,
        service: typeof refusal.extensions?.service === 'string' ? refusal.extensions.service : undefined,
      });
    } else {
      problems.set('network', { code: status === 502 ? 'UNAVAILABLE' : 'NETWORK', service: status === 502 ? 'gateway' : undefined, paths: [], message: error.networkError.message });
    }
  }
  return [...problems.values()];
}

/** Whether the answer lacks `path` (or a field under it) because of an error. */
export function missingAt(error: ApolloError | undefined, path: string): Problem | undefined {
  return problemsOf(error).find((p) => p.paths.some((at) => at === path || at.startsWith(`${path}.`)));
}
