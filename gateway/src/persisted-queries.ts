import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { ApolloServerPlugin, PersistedQueryOptions } from '@apollo/server';
import type { Cache } from '../../shared/cache';
import { AppError, ErrorCode } from '../../shared/errors';
import type { RequestContext } from '../../shared/http/service';

/** How long an automatic persisted query is kept after it was last registered. */
const APQ_TTL_SECONDS = 24 * 3600;

/**
 * Automatic persisted queries in the platform cache (Redis when configured, so every gateway replica
 * knows a query one of them registered). With a safelist, its operations are known without registering.
 */
export function persistedQueryCache(cache: Cache, safelist?: Safelist): NonNullable<PersistedQueryOptions['cache']> {
  return {
    async get(key) {
      return safelist?.bodyOf(key.replace(/^apq:/, '')) ?? cache.get<string>(key);
    },
    async set(key, value, options) {
      await cache.set(key, value, options?.ttl ?? APQ_TTL_SECONDS);
    },
    async delete(key) {
      await cache.delete(key);
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
