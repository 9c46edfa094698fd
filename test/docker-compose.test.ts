import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, SERVICE_NAMES } from '../shared/config';

type Service = { image?: string; build?: string; command?: string[]; environment?: Record<string, string> };

// Compose substitutes ${VAR:?message} from the shell; here, as a user would, with a value of their own.
const composeFile = fs
  .readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8')
  .replace(/\$\{INTERNAL_SIGNING_KEY:\?[^}]*\}/g, 'a-signing-key-of-at-least-32-characters');
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

  it("points the gateway at each subgraph's host and port", () => {
    const gateway = loadConfig(compose.services.gateway.environment!);
    for (const name of SERVICE_NAMES) {
      const port = loadConfig(compose.services[name].environment!).ports[name];
      expect(gateway.subgraphUrls[name]).toBe(`http://${name}:${port}/graphql`);
    }
  });
});
