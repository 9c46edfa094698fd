import type { ApolloServerPlugin } from '@apollo/server';
import {
  getNamedType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../shared/graphql/connection';
import { AppError, ErrorCode } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service';

/**
 * How many items a list field can return. `paged`: sliced by its `first` argument (a connection, or a
 * list such as `bestsellers(first)`), counted at the value the request gives (variables included), its
 * default when it gives none, and never more than the maximum the resolver accepts. `bounded`: a plain
 * list whose length the data bounds (the stores of a chain, a style's SKUs): counted at that bound.
 */
type ListSize = { paged: { default: number; max: number } } | { bounded: number };

const PAGE: ListSize = { paged: { default: DEFAULT_PAGE_SIZE, max: MAX_PAGE_SIZE } };
/** Recommendation lists: `first` 1-50, default 10. */
const SHORT_LIST: ListSize = { paged: { default: 10, max: 50 } };
/** Locations of a chain: every store and warehouse. Raise it if a deployment has more. */
const LOCATIONS: ListSize = { bounded: 100 };

/**
 * Every list field of the graph that returns objects, with its size. A field missing here counts as
 * UNLISTED_SIZE; test/cost.test.ts fails when the supergraph has one, so a new list is sized on purpose.
 */
export const LIST_SIZES: Record<string, ListSize> = {
  'Query.locations': LOCATIONS,
  'Query.products': PAGE,
  'Query.customers': PAGE,
  'Query.contactReads': PAGE,
  'Query.stockDiscrepancies': PAGE,
  'Query.pickupQueue': PAGE,
  'Query.customersInStore': { paged: { default: 50, max: 100 } },
  'Customer.touchpoints': PAGE,
  'Customer.orders': PAGE,
  'Customer.recommendations': SHORT_LIST,
  'Customer.consents': { bounded: 10 },
  'Customer.consentHistory': { bounded: 100 },
  'Customer.identities': { bounded: 50 },
  'Customer.merges': { bounded: 20 },
  'Customer.segments': { bounded: 10 },
  'Location.stock': PAGE,
  'Location.bestsellers': SHORT_LIST,
  'Location.newArrivals': SHORT_LIST,
  'Product.boughtTogether': SHORT_LIST,
  'Product.variants': { bounded: 50 },
  'Product.availability': LOCATIONS,
  'ProductVariant.availability': LOCATIONS,
  'Order.lines': { bounded: 200 },
  'Cart.lines': { bounded: 50 },
  'Customer.addresses': { bounded: 20 },
  'Order.returns': { bounded: 20 },
  'OrderReturn.lines': { bounded: 200 },
  'PurchaseSummary.byChannel': { bounded: 4 },
  'Recommendation.reasons': { bounded: 10 },
  'SegmentReport.segments': { bounded: 10 },
  'MergePreview.identitiesMoving': { bounded: 50 },
  'MergePreview.conflicts': { bounded: 20 },
  // Lines of a reservation and a transfer: MAX_STOCK_LINES (500) of inventory; a transfer changes two levels a line.
  'StockReservation.lines': { bounded: 500 },
  'TransferStockPayload.levels': { bounded: 1000 },
  // One item per item sent: the mutation multiplies its payload by that (BATCH_MUTATIONS).
  'ImportStoreTransactionsPayload.results': { bounded: 1 },
  'TrackEventsPayload.rejected': { bounded: 1 },
  // Edges of a page: the page's size is counted on the field that returns the connection.
  'ContactReadConnection.edges': { bounded: 1 },
  'CustomerConnection.edges': { bounded: 1 },
  'OrderConnection.edges': { bounded: 1 },
  'ProductConnection.edges': { bounded: 1 },
  'StockDiscrepancyConnection.edges': { bounded: 1 },
  'StockLevelConnection.edges': { bounded: 1 },
  'TouchpointConnection.edges': { bounded: 1 },
};

/**
 * Mutations that write and answer per item of a list they take (`input.<list>`): each item sent costs
 * a mutation and its share of the payload, as many as will run, not as many as the mutation could take.
 */
export const BATCH_MUTATIONS: Record<string, string> = { importStoreTransactions: 'transactions', trackEvents: 'events' };

/** What a list of objects missing from LIST_SIZES counts as: a full page. */
export const UNLISTED_SIZE = MAX_PAGE_SIZE;
/** A mutation does work beyond what it returns (Shopify counts 10 as well). */
export const MUTATION_COST = 10;

/** Payload lists of userErrors are short by construction: a handful of problems of one input. */
const USER_ERRORS_SIZE = 10;

function sizeOf(typeName: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  const size = LIST_SIZES[`${typeName}.${field.name}`];
  // Availability at the locations named: one entry each at most.
  if (size && 'bounded' in size && Array.isArray(args.locationIds)) return Math.min(args.locationIds.length, size.bounded);
  if (size && 'bounded' in size) return size.bounded;
  if (size) {
    const first = args.first;
    // Above the maximum the resolver refuses the request; counted at the maximum, it stays refused or small.
    return typeof first === 'number' && Number.isInteger(first) && first > 0 ? Math.min(first, size.paged.max) : size.paged.default;
  }
  if (field.name === 'userErrors') return USER_ERRORS_SIZE;
  return isListType(getNullableType(field.type)) ? UNLISTED_SIZE : 1;
}

/**
 * The cost of one field, as Shopify counts it: a scalar or enum is free, an object costs one point and
 * what is selected in it, a list the size it can reach times one item, a mutation MUTATION_COST more.
 */
function fieldCost(schema: GraphQLSchema) {
  const mutationType = schema.getMutationType();
  return ({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number => {
    if (isLeafType(getNamedType(field.type))) return 0;
    if (type !== mutationType) return sizeOf(type.name, field, args) * (1 + childComplexity);
    const batch = BATCH_MUTATIONS[field.name];
    const items = batch ? (args.input as Record<string, unknown> | undefined)?.[batch] : undefined;
    return (Array.isArray(items) ? Math.max(1, items.length) : 1) * (MUTATION_COST + childComplexity);
  };
}

/** Fields counted, fragments expanded, before a document is refused as too large to count. */
export const MAX_COUNTED_FIELDS = 10_000;

/**
 * The cost of an operation with its variables, before anything runs (undefined without an operation
 * to run). Fails closed: a document that cannot be counted is refused, never let through uncounted.
 * Past MAX_COUNTED_FIELDS (fragments spread into fragments multiply) it is COST_LIMIT_EXCEEDED;
 * variables that do not fit the operation (the gateway's scalars check them as the subgraphs do), or
 * an argument or directive value that does not (a null where one is required), are BAD_USER_INPUT.
 */
export function operationCost(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown> | undefined, operationName?: string | null) {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const coercion = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {});
  if (coercion.errors) throw new AppError(ErrorCode.BAD_USER_INPUT, coercion.errors[0].message, { http: { status: 400 } });
  try {
    return getComplexity({
      schema,
      query: document,
      variables: variables ?? {},
      operationName: operationName ?? undefined,
      estimators: [fieldCost(schema)],
      maxQueryNodes: MAX_COUNTED_FIELDS,
    });
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/maximum allowed number of nodes/.test(message)) {
      throw new AppError(ErrorCode.COST_LIMIT_EXCEEDED, `the operation selects more than ${MAX_COUNTED_FIELDS} fields once its fragments are expanded`, {
        http: { status: 400 },
      });
    }
    throw new AppError(ErrorCode.BAD_USER_INPUT, err instanceof GraphQLError ? message : 'an argument of the operation has a value it cannot take', {
      http: { status: 400 },
    });
  }
}

/** List fields of the schema that return objects but have no entry in LIST_SIZES (a test keeps this empty). */
export function unsizedListFields(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const listOfObjects = isListType(getNullableType(field.type)) && !isLeafType(getNamedType(field.type));
      if (listOfObjects && field.name !== 'userErrors' && !LIST_SIZES[`${type.name}.${field.name}`]) missing.push(`${type.name}.${field.name}`);
    }
  }
  return missing;
}

/** What a client sees of the cost of its operation, as Shopify reports it. */
export interface OperationCost {
  requestedQueryCost: number;
  maximumAvailable: number;
}

/**
 * Computes each operation's cost from what will run (variables, defaults, page-size maxima) before it
 * executes; refuses one over `maxCost` with COST_LIMIT_EXCEEDED (HTTP 400), and reports the cost of
 * every other in `extensions.cost`.
 */
export function costLimitPlugin(maxCost: number): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let cost: OperationCost | undefined;
      return {
        async didResolveOperation({ request, document, operationName, schema }) {
          const requestedQueryCost = operationCost(schema, document, request.variables, operationName);
          if (requestedQueryCost === undefined) return;
          cost = { requestedQueryCost, maximumAvailable: maxCost };
          if (requestedQueryCost > maxCost) {
            throw new AppError(ErrorCode.COST_LIMIT_EXCEEDED, `the operation costs ${requestedQueryCost}, more than the limit of ${maxCost}`, {
              cost,
              http: { status: 400 },
            });
          }
        },
        async willSendResponse({ response }) {
          if (cost && response.body.kind === 'single') {
            response.body.singleResult.extensions = { ...response.body.singleResult.extensions, cost };
          }
        },
      };
    },
  };
}
