import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { Platform } from '../../shared/platform';
import type { RequestRedis } from '../../shared/redis';
import { AppError, ErrorCode } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service';

/** Bounds of the automatic persisted query store (README.md: Limits). */
export interface PersistedQueryBounds {
  /** Bytes of documents the store keeps in all; the least recently used go first. */
  maxStoreBytes: number;
}

/** What one stored document is charged beyond its length: its key and bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 128;

/** Documents by hash, bounded in bytes (the bound of the gateway that stores), least recently used evicted first. */
interface DocumentStore {
  get(hash: string): Promise<string | undefined>;
  set(hash: string, document: string, bounds: PersistedQueryBounds): Promise<void>;
}

/** Redis: the documents, a sorted set of hashes by last use and a byte counter, changed atomically. */
class RedisDocumentStore implements DocumentStore {
  /** KEYS: document key prefix, recency zset, bytes counter. ARGV: hash, now (ms). Touches and returns. */
  private static readonly GET = `
local doc = redis.call('GET', KEYS[1] .. ARGV[1])
if doc then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1]) end
return doc`;

  /** ARGV: hash, document, now, max bytes, overhead. Stores once, then evicts the oldest past the bound. */
  private static readonly SET = `
if redis.call('EXISTS', KEYS[1] .. ARGV[1]) == 0 then
  redis.call('SET', KEYS[1] .. ARGV[1], ARGV[2])
  redis.call('INCRBY', KEYS[3], string.len(ARGV[2]) + tonumber(ARGV[5]))
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
while tonumber(redis.call('GET', KEYS[3]) or '0') > tonumber(ARGV[4]) do
  local oldest = redis.call('ZPOPMIN', KEYS[2])
  if #oldest == 0 then redis.call('SET', KEYS[3], '0') break end
  local size = redis.call('STRLEN', KEYS[1] .. oldest[1])
  redis.call('DEL', KEYS[1] .. oldest[1])
  redis.call('DECRBY', KEYS[3], size + tonumber(ARGV[5]))
end`;

  private readonly keys: string[];

  constructor(private readonly redis: RequestRedis, prefix: string) {
    // One hash tag: the three keys of a script live on one Redis Cluster slot.
    this.keys = [`${prefix}{apq}:doc:`, `${prefix}{apq}:recency`, `${prefix}{apq}:bytes`];
  }

  /** The document, or undefined when Redis does not have it or is unavailable. */
  async get(hash: string) {
    const document = (await this.redis.runOr((r) => r.eval(RedisDocumentStore.GET, 3, ...this.keys, hash, Date.now()), null)) as string | null;
    return document ?? undefined;
  }

  /** Stores the document; skipped while Redis is unavailable. */
  async set(hash: string, document: string, bounds: PersistedQueryBounds) {
    await this.redis.runOr((r) => r.eval(RedisDocumentStore.SET, 3, ...this.keys, hash, document, Date.now(), bounds.maxStoreBytes, ENTRY_OVERHEAD_BYTES), undefined);
  }
}

/**
 * Redis, with this gateway's own memory of the documents it registered or read (bounded like the
 * store): while Redis is unavailable the memory answers, so a client whose document this gateway
 * knows notices nothing, and one whose document it does not gets PERSISTED_QUERY_NOT_FOUND and
 * registers it again, as APQ clients do. Nothing waits for Redis longer than its command timeout.
 */
class SharedDocumentStore implements DocumentStore {
  private readonly local = new MemoryDocumentStore();

  constructor(private readonly redis: RedisDocumentStore, private readonly bounds: PersistedQueryBounds) {}

  async get(hash: string) {
    // Redis first: its recency is what the replicas evict by.
    const shared = await this.redis.get(hash);
    if (shared === undefined) return this.local.get(hash);
    await this.local.set(hash, shared, this.bounds);
    return shared;
  }

  async set(hash: string, document: string, bounds: PersistedQueryBounds) {
    await this.local.set(hash, document, bounds);
    await this.redis.set(hash, document, bounds);
  }
}

/** The embedded default's store: a Map in use order (a read moves the entry to the end). */
class MemoryDocumentStore implements DocumentStore {
  private readonly documents = new Map<string, string>();
  private bytes = 0;

  async get(hash: string) {
    const document = this.documents.get(hash);
    if (document !== undefined) {
      this.documents.delete(hash);
      this.documents.set(hash, document);
    }
    return document;
  }

  async set(hash: string, document: string, bounds: PersistedQueryBounds) {
    if (!this.documents.has(hash)) this.bytes += Buffer.byteLength(document) + ENTRY_OVERHEAD_BYTES;
    this.documents.delete(hash);
    this.documents.set(hash, document);
    for (const [oldest, evicted] of this.documents) {
      if (this.bytes <= bounds.maxStoreBytes) break;
      this.documents.delete(oldest);
      this.bytes -= Buffer.byteLength(evicted) + ENTRY_OVERHEAD_BYTES;
    }
  }
}

/** Gateways of one process share the embedded store, as replicas share Redis. */
const memoryStores = new WeakMap<Platform, MemoryDocumentStore>();

function documentStoreOf(platform: Platform, bounds: PersistedQueryBounds): DocumentStore {
  if (platform.requestRedis) return new SharedDocumentStore(new RedisDocumentStore(platform.requestRedis, platform.config.redisKeyPrefix), bounds);
  let store = memoryStores.get(platform);
  if (!store) memoryStores.set(platform, (store = new MemoryDocumentStore()));
  return store;
}

/**
 * Automatic persisted queries, in Redis when configured (so every gateway replica knows a query one
 * of them registered) or in memory, bounded in bytes either way: registrations by anonymous callers
 * cannot grow the gateway, they only push out documents nobody has used for longest. Documents are
 * bounded in length before they get here (the gateway's document size limit). With a safelist, its
 * operations are known without registering.
 */
export function persistedQueryCache(bounds: PersistedQueryBounds, platform: Platform, safelist?: Safelist): NonNullable<PersistedQueryOptions['cache']> {
  const store = documentStoreOf(platform, bounds);
  const hashOf = (key: string) => key.replace(/^apq:/, '');
  return {
    async get(key) {
      return safelist?.bodyOf(hashOf(key)) ?? store.get(hashOf(key));
    },
    async set(key, value) {
      await store.set(hashOf(key), value, bounds);
    },
    async delete() {
      // Apollo never deletes a registration; eviction is the store's.
    },
  };
}

interface ManifestOperation {
  id: string;
  name?: string;
  type?: string;
  body: string;
}

/**
 * The operations first-party clients (storefront, app, staff tools) are built with, from an Apollo
 * persisted query manifest (`{ format: "apollo-persisted-query-manifest", version: 1, operations }`,
 * as `@apollo/generate-persisted-query-manifest` writes it; `id` is the SHA-256 of `body`).
 */
export class Safelist {
  private constructor(private readonly operations: Map<string, string>) {}

  static load(file: string): Safelist {
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: string; operations?: ManifestOperation[] };
    if (manifest.format !== 'apollo-persisted-query-manifest' || !Array.isArray(manifest.operations)) {
      throw new Error(`${file} is not an Apollo persisted query manifest`);
    }
    const operations = new Map<string, string>();
    for (const op of manifest.operations) {
      if (sha256(op.body) !== op.id) throw new Error(`${file}: operation ${op.name ?? op.id} has an id that is not the SHA-256 of its body`);
      operations.set(op.id, op.body);
    }
    return new Safelist(operations);
  }

  bodyOf(hash: string): string | undefined {
    return this.operations.get(hash);
  }

  /**
   * Refuses documents not on the list, except from partners: their integrations are not ours to
   * register, and their scopes, the document limits and their rate limit bound what they can do.
   */
  plugin(): ApolloServerPlugin<RequestContext> {
    return {
      requestDidStart: async ({ contextValue }) => ({
        didResolveOperation: async ({ source }) => {
          if (contextValue.principal.kind === 'PARTNER' || this.operations.has(sha256(source))) return;
          throw new AppError(ErrorCode.OPERATION_NOT_REGISTERED, 'this gateway accepts only the registered operations of first-party clients', {
            http: { status: 400 },
          });
        },
      }),
    };
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
