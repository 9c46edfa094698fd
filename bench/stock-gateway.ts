import fs from 'node:fs';
import path from 'node:path';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { PRINCIPAL_HEADER, signPrincipal, type ClientPrincipal } from '../shared/auth/principal';
import { loadConfig, type SubgraphName } from '../shared/config';

/** The header the bench sends to this gateway: the principal as JSON (stock gateways authenticate nothing). */
export const BENCH_PRINCIPAL_HEADER = 'x-bench-principal';

/**
 * `npm run bench`'s comparison arm: stock `@apollo/gateway` in a stock Apollo Server over the same
 * supergraph and subgraphs, with nothing of this project's gateway (no authentication, limits, rate
 * limits or persisted-query storage). The subgraphs take only signed principals, so each fetch signs
 * the one the bench names, as the project's gateway signs the one it authenticated.
 * Port: GATEWAY_PORT; subgraphs: the *_URL variables.
 */
async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const config = loadConfig();
  const port = config.ports.gateway;
  const signingKey = config.internalSigningKey;
  const gateway = new ApolloGateway({
    supergraphSdl: fs.readFileSync(path.join(__dirname, '..', 'gateway', 'supergraph.graphql'), 'utf8'),
    buildService: ({ name, url }) =>
      new (class extends RemoteGraphQLDataSource<{ principal: ClientPrincipal }> {
        override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<{ principal: ClientPrincipal }>['willSendRequest']>>[0]) {
          request.http?.headers.set(PRINCIPAL_HEADER, signPrincipal(context.principal, signingKey));
        }
      })({ url: config.subgraphUrls[name as SubgraphName] ?? url }),
  });
  const server = new ApolloServer({ gateway });
  await server.start();
  const app = express();
  app.get('/readyz', (_req, res) => void res.json({ status: 'ready' }));
  app.use(
    '/graphql',
    express.json({ limit: '1mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => ({ principal: JSON.parse(String(req.headers[BENCH_PRINCIPAL_HEADER] ?? '{"kind":"ANONYMOUS"}')) as ClientPrincipal }),
    }),
  );
  const listener = app.listen(port, '127.0.0.1');
  process.once('SIGTERM', () => {
    listener.close();
    void server.stop().then(() => process.exit(0));
  });
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
