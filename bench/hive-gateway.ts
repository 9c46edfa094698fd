import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler } from '@graphql-hive/router-runtime';
import { PRINCIPAL_HEADER, signPrincipal, type ClientPrincipal } from '../shared/auth/principal';
import { loadConfig, SERVICE_NAMES } from '../shared/config';
import { BENCH_PRINCIPAL_HEADER } from './stock-gateway';

/**
 * `npm run bench`'s arm for a faster engine (issue "A busy day on a small machine", point 2): Hive
 * Gateway's runtime with the Rust query planner of `@graphql-hive/router-runtime`, over the same
 * supergraph and subgraphs, with nothing of this project's gateway, as the stock arm
 * (bench/stock-gateway.ts): each subgraph fetch carries the principal the bench names, signed.
 * Port: GATEWAY_PORT; subgraphs: the *_URL variables.
 */
function main(): void {
  const config = loadConfig();
  let supergraph = fs.readFileSync(path.join(__dirname, '..', 'gateway', 'supergraph.graphql'), 'utf8');
  // The supergraph names the default ports; the bench's subgraphs listen where the *_URL variables say.
  for (const name of SERVICE_NAMES) {
    const url = config.subgraphUrls[name];
    if (url) supergraph = supergraph.replace(new RegExp(`(@join__graph\\(name: "${name}", url: )"[^"]*"`), `$1"${url}"`);
  }
  const gateway = createGatewayRuntime({
    supergraph,
    unifiedGraphHandler,
    logging: 'error',
    graphqlEndpoint: '/graphql',
    landingPage: false,
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => {
        const principal = JSON.parse(request.headers.get(BENCH_PRINCIPAL_HEADER) ?? '{"kind":"ANONYMOUS"}') as ClientPrincipal;
        return { [PRINCIPAL_HEADER]: signPrincipal(principal, config.internalSigningKey) };
      },
    },
  });
  const server = http.createServer((req, res) => {
    if (req.url === '/readyz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
    void gateway(req, res);
  });
  server.listen(config.ports.gateway, '127.0.0.1');
  process.once('SIGTERM', () => {
    server.close();
    void Promise.resolve(gateway.dispose()).then(() => process.exit(0));
  });
}

if (require.main === module) main();
