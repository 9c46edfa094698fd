import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, requireJwtVerification, SERVICE_NAMES } from '../shared/config';

type Service = { image?: string; build?: string; command?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> };

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

  it.each([...SERVICE_NAMES, 'gateway'] as const)('runs %s with an environment the config accepts', (name) => {
    const service = compose.services[name];
    expect(packageScripts[service.command![2]]).toBeDefined();
    expect(service.command).toEqual(['npm', 'run', `start:${name}`]);
    const config = loadConfig(service.environment!);
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
    expect(migrate.command).toEqual(['npm', 'run', 'migrate']);
    expect(packageScripts.migrate).toBeDefined();
    expect(loadConfig(migrate.environment!).mysqlUrl).toMatch(/@mysql:3306/);
    for (const name of [...SERVICE_NAMES, 'gateway']) {
      expect({ name, migrate: compose.services[name].depends_on?.migrate }).toEqual({ name, migrate: { condition: 'service_completed_successfully' } });
      expect(loadConfig(compose.services[name].environment!).migrateOnStart).toBe(false);
    }
  });

  it('points each service at the services it calls', () => {
    const orders = loadConfig(compose.services.orders.environment!);
    const customers = loadConfig(compose.services.customers.environment!);
    expect(orders.subgraphUrls).toEqual({ inventory: 'http://inventory:4003/graphql', customers: 'http://customers:4001/graphql' });
    expect(customers.subgraphUrls).toEqual({ inventory: 'http://inventory:4003/graphql' });
  });
});
