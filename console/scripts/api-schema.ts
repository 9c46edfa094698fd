import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Supergraph } from '@apollo/federation-internals';

// The root's graphql, the instance @apollo/federation-internals builds its schema with (the console has its own).
const rootGraphql = createRequire(require.resolve('@apollo/federation-internals'))('graphql') as typeof import('graphql');

/** The composed supergraph, committed at the root (`npm run compose`). */
export const SUPERGRAPH_PATH = path.join(__dirname, '..', '..', 'gateway', 'supergraph.graphql');
/** The graph's API schema as clients see it, which operations are generated against. */
export const API_SCHEMA_PATH = path.join(__dirname, '..', 'src', 'graphql', 'schema.graphql');

const HEADER = '# The API schema of gateway/supergraph.graphql (what clients of the gateway see): `npm run codegen` writes it.\n\n';

/** The client-facing schema of a supergraph: join and inaccessible elements removed, as the gateway serves it. */
export function apiSchemaOf(supergraphSdl: string): string {
  const api = Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
  return HEADER + rootGraphql.printSchema(rootGraphql.lexicographicSortSchema(api));
}

if (require.main === module) {
  fs.writeFileSync(API_SCHEMA_PATH, apiSchemaOf(fs.readFileSync(SUPERGRAPH_PATH, 'utf8')));
  console.log(`wrote ${path.relative(process.cwd(), API_SCHEMA_PATH)}`);
}
