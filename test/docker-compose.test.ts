import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, requireJwtVerification, SERVICE_NAMES } from '../shared/config';

type Service = {
  image?: string;
  build?: string;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  init?: boolean;
};

// Compose substitutes ${VAR:?message} and ${VAR:-default} from the shell; here, as a user would, with values of their own.
const USER_VALUES: Record<string, string> = {
  INTERNAL_SIGNING_KEY: 'a-signing-key-of-at-least-32-characters',
  JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
  JWT_ISSUER: 'https://id.example.com/',
};
const composeFile = fs
  .readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8')
  .replace(/\$\{(\w+):\?[^}]*\}/g, (_, name: string) => USER_VALUES[name] ?? `<unset ${name}>`)
  .replace(/\$\{\w+:-([^}]*)\}/g, '$1');
const compose = parse(composeFile, { merge: true }) as {
  services: Record<string, Service>;
};
const packageScripts = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('docker-compose.yml', () => {
  it('runs MySQL 8 and Redis 7', () => {
    expect(compose.services.mysql.image).toMatch(/^mysql:8/);
    expect(compose.services.redis.image).toMatch(/^redis:7/);
  });

  it.each([...SERVICE_NAMES, 'gateway'] as const)('runs %s, compiled, as its start script does, with an environment the config accepts and a health check on /readyz', (name) => {
    const service = compose.services[name];
    // node itself (no npm, no shell) gets SIGTERM; the launcher runs dist/ in production (NODE_ENV in the image).
    expect(service.command).toEqual(['node', 'scripts/launch.js', ...packageScripts[`start:${name}`].split(' ').slice(2)]);
    expect(service.init).toBe(true);
    const config = loadConfig(service.environment!);
    expect(service.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/healthcheck.js', String(config.ports[name])]);
    expect(config.mysqlUrl).toMatch(/@mysql:3306/);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.host).toBe('0.0.0.0');
  });

  it('verifies tokens with the identity provider in the gateway', () => {
    const gateway = loadConfig(compose.services.gateway.environment!);
    expect(requireJwtVerification(gateway.jwt).keys).toEqual({ jwksUrl: USER_VALUES.JWT_JWKS_URL });
  });

  it("points the gateway at each subgraph's host and port", () => {
    const gateway = loadConfig(compose.services.gateway.environment!);
    for (const name of SERVICE_NAMES) {
      const port = loadConfig(compose.services[name].environment!).ports[name];
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${port}/graphql`);
    }
  });

  it('migrates every database as a release step before any service starts (production services refuse a schema behind)', () => {
    const migrate = compose.services.migrate;
    expect(migrate.command).toEqual(['node', ...packageScripts.migrate.split(' ').slice(1)]);
    expect(loadConfig(migrate.environment!).mysqlUrl).toMatch(/@mysql:3306/);
    for (const name of [...SERVICE_NAMES, 'gateway']) {
      expect({ name, migrate: compose.services[name].depends_on?.migrate }).toEqual({ name, migrate: { condition: 'service_completed_successfully' } });
      expect(loadConfig(compose.services[name].environment!).migrateOnStart).toBe(false);
    }
  });

  it('starts the gateway once every subgraph is healthy', () => {
    for (const name of SERVICE_NAMES) expect({ name, dependency: compose.services.gateway.depends_on?.[name] }).toEqual({ name, dependency: { condition: 'service_healthy' } });
  });

  it('points each service at the services it calls', () => {
    const orders = loadConfig(compose.services.orders.environment!);
    const customers = loadConfig(compose.services.customers.environment!);
    expect(orders.subgraphUrls).toEqual({ inventory: 'http://inventory:4003/graphql', customers: 'http://customers:4001/graphql' });
    expect(customers.subgraphUrls).toEqual({ inventory: 'http://inventory:4003/graphql' });
  });
});

describe('Dockerfile', () => {
  const dockerfile = fs.readFileSync(path.join(__dirname, '..', 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1];

  it('builds in one stage and runs compiled code on Node 22 in another, without dev dependencies', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]).toMatch(/RUN npm run build && npm prune --omit=dev/);
    expect(runtime).toMatch(/^node:22-/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/ENV NODE_ENV=production/);
    expect(runtime).not.toMatch(/COPY \. \./);
  });

  it('runs as a non-root user, with node the process that receives SIGTERM', () => {
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "scripts\/launch\.js", "scripts\/start-all\.ts"\]$/m);
  });
});
