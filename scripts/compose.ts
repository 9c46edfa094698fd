import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { printSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { SUPERGRAPH_PATH } from '../gateway/src/gateway';
import { loadConfig, SERVICE_NAMES, type SubgraphName } from '../shared/config';
import { SUBGRAPHS } from './subgraphs';

export interface Composition {
  subgraphSdl: Record<SubgraphName, string>;
  supergraphSdl: string;
}

export function subgraphSchemaPath(name: SubgraphName): string {
  return path.join(__dirname, '..', 'subgraphs', name, 'schema.graphql');
}

/** Prints each subgraph's SDL and composes the supergraph with `@apollo/composition`. */
export async function composeSupergraph(): Promise<Composition> {
  const config = loadConfig({});
  const subgraphSdl = {} as Record<SubgraphName, string>;
  for (const name of SERVICE_NAMES) subgraphSdl[name] = printSubgraphSchema(await SUBGRAPHS[name].buildSchema()) + '\n';
  const result = composeServices(
    SERVICE_NAMES.map((name) => ({
      name,
      typeDefs: parse(subgraphSdl[name]),
      // Defaults for a local run; deployments override them with <NAME>_URL.
      url: `http://localhost:${config.ports[name]}/graphql`,
    })),
  );
  if (result.errors?.length) {
    throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  }
  return { subgraphSdl, supergraphSdl: result.supergraphSdl + '\n' };
}

async function main(): Promise<void> {
  const { subgraphSdl, supergraphSdl } = await composeSupergraph();
  for (const name of SERVICE_NAMES) fs.writeFileSync(subgraphSchemaPath(name), subgraphSdl[name]);
  fs.writeFileSync(SUPERGRAPH_PATH, supergraphSdl);
  console.log(`Composed ${SERVICE_NAMES.length} subgraphs into ${path.relative(process.cwd(), SUPERGRAPH_PATH)}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
