'use strict';
/**
 * `node scripts/healthcheck.js <port>`: the container health check (docker-compose.yml). Healthy while
 * the service's `/readyz` says it serves (`ready`, or `degraded` without Redis); not while it starts,
 * stops or has lost its database. Plain JavaScript: the image has no curl.
 */
const port = Number(process.argv[2]);
fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
