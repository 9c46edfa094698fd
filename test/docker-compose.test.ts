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

// Compose substitutes ${VAR:-default} from the shell; here, as a user would, with values of their own or none.
const USER_VALUES: Record<string, string> = {
  INTERNAL_SIGNING_KEY: 'Zq8vK2mXw4Ry7Tb1Nc5Hf9Lp3Sd6Gj0A',
  JWT_JWKS_URL: 'https://id.example.com/.well-known/jwks.json',
  JWT_ISSUER: 'https://id.example.com/',
};
const composeSource = fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8');
function composeWith(values: Record<string, string>) {
  // Every variable has a default: with one required (${VAR:?}) compose refuses the whole file, dev profile included.
  expect(composeSource).not.toMatch(/\$\{\w+:\?/);
  const text = composeSource.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, fallback: string) => values[name] ?? fallback);
  return parse(text, { merge: true }) as { services: Record<string, Service & { profiles?: string[]; ports?: string[] }> };
}
const compose = composeWith(USER_VALUES);
const packageScripts = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')).scripts as Record<string, string>;

describe('docker-compose.yml', () => {
  it('runs the database engine CI tests (MariaDB 10.11) and Redis 7', () => {
    const ci = fs.readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8');
    expect(ci).toMatch(/apt-get install .*mariadb-server/);
    expect(compose.services.mysql.image).toMatch(/^mariadb:10\.11/);
    expect(compose.services.redis.image).toMatch(/^redis:7/);
  });

  it('has production services refuse to start without the secrets, naming each', () => {
    const bare = composeWith({});
    expect(() => loadConfig(bare.services.inventory.environment!)).toThrow(/INTERNAL_SIGNING_KEY/);
    const gateway = { ...bare.services.gateway.environment!, INTERNAL_SIGNING_KEY: USER_VALUES.INTERNAL_SIGNING_KEY };
    expect(() => requireJwtVerification(loadConfig(gateway).jwt)).toThrow(/JWT_JWKS_URL/);
  });

  it('has a dev profile: the whole graph in development mode on MariaDB + Redis, with development tokens and the Sandbox, needing no secrets', () => {
    const dev = composeWith({}).services['graph-dev'];
    expect(dev.profiles).toEqual(['dev']);
    expect(dev.command).toEqual(['node', 'scripts/launch.js', ...packageScripts.start.split(' ').slice(2)]);
    const config = loadConfig(dev.environment!);
    expect(config.nodeEnv).toBe('development');
    expect(config.jwt.developmentKey).toBeDefined();
    expect(config.mysqlUrl).toMatch(/@mysql:3306/);
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.host).toBe('0.0.0.0');
    expect(dev.ports).toEqual([`${config.ports.gateway}:${config.ports.gateway}`]);
    expect(dev.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/healthcheck.js', String(config.ports.gateway)]);
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

  it("bounds each service's heap (160 MB: under 256 MB RSS under load), and leaves migrate and the seed node's default", () => {
    const benchSource = fs.readFileSync(path.join(__dirname, '..', 'bench', 'graph.bench.ts'), 'utf8');
    for (const name of [...SERVICE_NAMES, 'gateway']) expect({ name, options: compose.services[name].environment!.NODE_OPTIONS }).toEqual({ name, options: '--max-old-space-size=160' });
    for (const name of ['migrate', 'seed']) expect(compose.services[name].environment!.NODE_OPTIONS).toBeUndefined();
    // The bench runs the services as compose does.
    expect(benchSource).toContain("SERVICE_NODE_OPTIONS = '--max-old-space-size=160'");
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
