import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Config } from '../../shared/config';

/**
 * Document limits at the gateway (graphql-armor). The defaults let the project's own operations
 * through with room to spare (the customer 360 query has depth 9 and no aliases); README.md lists them.
 */
export const DOCUMENT_LIMITS = {
  maxDepth: 15,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 5000,
  maxCost: 50_000,
};

/** Validation rules and plugins of graphql-armor; field suggestions are withheld in production. */
export function documentLimits(config: Pick<Config, 'nodeEnv'>) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives },
    maxTokens: { n: DOCUMENT_LIMITS.maxTokens },
    costLimit: { maxCost: DOCUMENT_LIMITS.maxCost },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  }).protect();
  return { plugins, validationRules };
}
