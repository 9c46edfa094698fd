import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { BREAK, buildASTSchema, Kind, parse, TypeInfo, visit, visitWithTypeInfo, type DocumentNode, type FieldDefinitionNode, type FormattedExecutionResult } from 'graphql';
import type { EventBus, EventConsumer } from '../../shared/events/bus';
import type { RequestContext } from '../../shared/http/service';
import type { Logger } from '../../shared/logger';
import type { RequestRedis } from '../../shared/redis';

/** The subgraph whose answers the cache keeps: the catalog (styles, variants, stock, locations). */
const CATALOG_GRAPH = 'INVENTORY';
/** Answers kept at most, per gateway process (the least recently stored go first). */
const MAX_ENTRIES = 2000;
/** An answer larger than this is not kept (a page of 100 styles with their stock is well under it). */
const MAX_ENTRY_CHARS = 512 * 1024;
/** How often each gateway process reads the shared change counter (Redis). */
const POLL_MS = 200;

/**
 * The last change of the catalog each gateway process knows of. Inventory's events (product.changed,
 * stock.changed, stock.shortage) move it on: embedded, in this process; with Redis, one replica
 * counts each event in a shared key (one consumer group) and every replica reads that key every
 * POLL_MS. While Redis cannot be read the change is unknown, and the cache is bypassed.
 */
export class CatalogChanges {
  private counter: string | undefined = '0';
  private readonly consumer: EventConsumer;
  private poller?: NodeJS.Timeout;

  constructor(bus: EventBus, group: string, private readonly redis: RequestRedis | undefined, private readonly key: string, logger: Logger) {
    this.consumer = bus.consume({
      group,
      producers: ['inventory'],
      types: ['product.changed', 'stock.changed', 'stock.shortage'],
      logger,
      handler: async () => {
        if (this.redis) await this.redis.run((r) => r.incr(this.key));
        else this.counter = String(Number(this.counter) + 1);
      },
    });
    if (redis) {
      this.counter = undefined;
      const read = async () => {
        const value = await redis.runOr((r) => r.get(key), undefined).catch(() => undefined);
        // No key yet (no change counted since Redis started empty) is a value of its own.
        this.counter = value === undefined ? undefined : (value ?? 'none');
      };
      void read();
      this.poller = setInterval(() => void read(), POLL_MS);
      this.poller.unref();
    }
  }

  /** The current change, or undefined while it cannot be known. */
  get current(): string | undefined {
    return this.counter;
  }

  async stop(): Promise<void> {
    clearInterval(this.poller);
    await this.consumer.stop();
  }
}

/**
 * Whether an operation is answered by the catalog subgraph alone, from the supergraph's
 * @join__type and @join__field: every field it selects (but __typename) is one that subgraph resolves.
 */
export function catalogOnly(supergraphSdl: string): (document: DocumentNode) => boolean {
  const supergraph = parse(supergraphSdl);
  const schema = buildASTSchema(supergraph, { assumeValidSDL: true });
  const resolvers = new Map<string, Map<string, Set<string>>>();
  for (const definition of supergraph.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    const typeGraphs = graphsOf(definition.directives, 'join__type');
    const fields = new Map<string, Set<string>>();
    for (const field of definition.fields ?? []) fields.set(field.name.value, fieldGraphs(field, typeGraphs));
    resolvers.set(definition.name.value, fields);
  }
  const verdicts = new WeakMap<DocumentNode, boolean>();
  return (document) => {
    let verdict = verdicts.get(document);
    if (verdict === undefined) {
      verdict = true;
      const typeInfo = new TypeInfo(schema);
      visit(
        document,
        visitWithTypeInfo(typeInfo, {
          Field(node) {
            if (node.name.value === '__typename') return undefined;
            const parent = typeInfo.getParentType()?.name;
            if (parent && resolvers.get(parent)?.get(node.name.value)?.has(CATALOG_GRAPH)) return undefined;
            verdict = false;
            return BREAK;
          },
        }),
      );
      verdicts.set(document, verdict);
    }
    return verdict;
  };
}

type Directives = FieldDefinitionNode['directives'];

function graphsOf(directives: Directives, name: string, skip?: (args: Map<string, string>) => boolean): Set<string> {
  const graphs = new Set<string>();
  for (const directive of directives ?? []) {
    if (directive.name.value !== name) continue;
    const args = new Map((directive.arguments ?? []).map((a) => [a.name.value, 'value' in a.value ? String(a.value.value) : '']));
    if (args.has('graph') && !skip?.(args)) graphs.add(args.get('graph')!);
  }
  return graphs;
}

/** The subgraphs that resolve a field: its @join__field graphs (not @external), else its type's. */
function fieldGraphs(field: FieldDefinitionNode, typeGraphs: Set<string>): Set<string> {
  const joins = (field.directives ?? []).filter((d) => d.name.value === 'join__field');
  if (!joins.length) return typeGraphs;
  return graphsOf(field.directives, 'join__field', (args) => args.get('external') === 'true');
}

interface Entry {
  change: string;
  storedAt: number;
  data: FormattedExecutionResult['data'];
}

/**
 * Anonymous callers' answers to catalog-only queries, shared between them (they see the same
 * catalog): kept until the catalog changes (CatalogChanges) and at most `ttlSeconds`, the bound on
 * what changes without an event (a reservation's hold). Signed-in callers, partners, mutations,
 * queries reaching another subgraph and answers with errors are never kept nor served from it. The
 * gateway's limits run first (didResolveOperation), so a cached answer is rate-limited as any other.
 */
export function catalogCachePlugin(options: {
  ttlSeconds: number;
  changes: CatalogChanges;
  catalogOnly: ReturnType<typeof catalogOnly>;
}): ApolloServerPlugin<RequestContext> {
  const entries = new Map<string, Entry>();
  const cacheable = (context: GraphQLRequestContext<RequestContext>) => {
    const principal = context.contextValue.principal;
    return (
      principal?.kind === 'ANONYMOUS' &&
      !principal.subject &&
      context.operation?.operation === 'query' &&
      !!context.document &&
      options.catalogOnly(context.document)
    );
  };
  return {
    async requestDidStart() {
      let key: string | undefined;
      let change: string | undefined;
      let served = false;
      return {
        async responseForOperation(context) {
          change = options.changes.current;
          if (change === undefined || !cacheable(context)) return null;
          key = `${context.queryHash}\n${context.operationName ?? ''}\n${JSON.stringify(context.request.variables ?? {})}`;
          const entry = entries.get(key);
          if (!entry || entry.change !== change || Date.now() - entry.storedAt > options.ttlSeconds * 1000) return null;
          served = true;
          return { http: context.response.http, body: { kind: 'single', singleResult: { data: entry.data } } };
        },
        async willSendResponse({ response }) {
          // Kept with the change read before it executed: an event that came meanwhile outdates it.
          if (!key || served || change === undefined || response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          if (result.errors || !result.data) return;
          if (JSON.stringify(result.data).length > MAX_ENTRY_CHARS) return;
          entries.delete(key);
          entries.set(key, { change, storedAt: Date.now(), data: result.data });
          if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
        },
      };
    },
  };
}
