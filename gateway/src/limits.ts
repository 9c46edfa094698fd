import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationContext, type ValidationRule } from 'graphql';
import type { Config } from '../../shared/config';
import { AppError, ErrorCode } from '../../shared/errors';
import { BATCH_MUTATIONS } from './cost';
import { rootFieldCalls } from './root-fields';
import type { RequestContext } from '../../shared/http/service';

/**
 * Document limits at the gateway (graphql-armor, and a repeat limit of its own). The defaults let
 * the project's own operations through with room to spare (the customer 360 query has depth 9 and no
 * aliases); README.md lists them. What a document may cost is limited separately (cost.ts).
 */
export const DOCUMENT_LIMITS = {
  maxDepth: 15,
  /** Every alias counts, `__typename` too: a hundred aliases of it are as many fields to answer. */
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 5000,
  /** Copies of one field (by response name) one selection set may hold. */
  maxFieldRepeats: 10,
};

/**
 * Refuses a selection set that names one field many times over (`{ __typename __typename ... }`):
 * GraphQL merges the copies, but each is parsed, validated and planned, and no client needs it.
 */
function maxFieldRepeatsRule(maxRepeats: number): ValidationRule {
  return (context: ValidationContext) => ({
    SelectionSet(node) {
      const seen = new Map<string, number>();
      for (const selection of node.selections) {
        if (selection.kind !== 'Field') continue;
        const key = selection.alias?.value ?? selection.name.value;
        const count = (seen.get(key) ?? 0) + 1;
        seen.set(key, count);
        if (count === maxRepeats + 1) {
          context.reportError(new GraphQLError(`"${key}" is selected more than ${maxRepeats} times in one selection set`, { nodes: [selection] }));
        }
      }
    },
  });
}

/**
 * Mutations a request may make once: a batch (BATCH_MUTATIONS, hundreds of writes) or an order (it
 * takes stock). Aliases of them would multiply what one request writes or holds past what their
 * limits were chosen for.
 */
const ONCE_PER_REQUEST = [...Object.keys(BATCH_MUTATIONS), 'placeOrder', 'checkoutCart'];

function oncePerRequestRule(): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node) {
      if (node.operation !== 'mutation') return;
      const batches = ONCE_PER_REQUEST.reduce((sum, field) => sum + rootFieldCalls(context.getDocument(), node, field), 0);
      if (batches > 1) context.reportError(new GraphQLError(`one of ${ONCE_PER_REQUEST.join(', ')} per request`, { nodes: [node] }));
    },
  });
}

/** Validation rules of graphql-armor and the repeat limit; field suggestions are withheld in production. */
export function documentLimits(config: Pick<Config, 'nodeEnv'>) {
  const { plugins, validationRules } = new ApolloArmor({
    maxDepth: { n: DOCUMENT_LIMITS.maxDepth },
    maxAliases: { n: DOCUMENT_LIMITS.maxAliases, allowList: [] },
    maxDirectives: { n: DOCUMENT_LIMITS.maxDirectives },
    // Counted by graphql-js's parser itself (startGraphQLService's maxTokens): a syntax error, not a 500.
    maxTokens: { enabled: false },
    // Cost is computed from variables, defaults and page sizes in cost.ts, not from the text alone.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
  }).protect();
  return {
    plugins: [...(plugins as ApolloServerPlugin<RequestContext>[]), sameErrorOncePlugin(), knownOperationPlugin()],
    validationRules: [...validationRules, maxFieldRepeatsRule(DOCUMENT_LIMITS.maxFieldRepeats), oncePerRequestRule()],
  };
}

/**
 * An operationName the document does not have, or a subscription (this graph serves none), is the
 * client's mistake (400), not the gateway's (500).
 */
function knownOperationPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName }) {
          if (operation?.operation === 'subscription') {
            throw new AppError(ErrorCode.BAD_REQUEST, 'this graph serves queries and mutations, not subscriptions', { http: { status: 400 } });
          }
          if (operation) return;
          const message = operationName ? 'the document has no operation of that operationName' : 'the document has several operations: name one in operationName';
          throw new AppError(ErrorCode.OPERATION_RESOLUTION_FAILURE, message, { http: { status: 400 } });
        },
      };
    },
  };
}

/**
 * A refused document is answered with each distinct problem once: ten copies of an unknown directive
 * are one mistake, and echoing every copy back lets a small request buy a large answer.
 */
function sameErrorOncePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.data !== undefined || !result.errors || result.errors.length < 2) return;
          const seen = new Set<string>();
          result.errors = result.errors.filter((e) => {
            const key = `${String(e.extensions?.code)}\n${e.message}`;
            if (seen.has(key)) return false;
            seen.add(key);
            return true;
          });
        },
      };
    },
  };
}
