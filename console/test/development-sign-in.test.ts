import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/config';
import { ConsoleConfigError, loadConsoleConfig } from '../server/config';
import { developmentSignIn } from '../server/development-sign-in';
import { startConsoleServer, type RunningConsoleServer } from '../server/server';

const mint = async () => 'a.development.token';
const devConsole = loadConsoleConfig({});
const oidcConsole = loadConsoleConfig({ CONSOLE_OIDC_ISSUER: 'https://id.example.com/', CONSOLE_OIDC_CLIENT_ID: 'staff-console' });
const signingKey = { INTERNAL_SIGNING_KEY: 'Zq8vK2mXw4Ry7Tb1Nc5Hf9Lp3Sd6Gj0A' };

describe('development sign-in', () => {
  it('exists in development while no identity provider is configured', () => {
    expect(developmentSignIn(loadConfig({}), devConsole, mint)).toBe(mint);
    expect(developmentSignIn(loadConfig({ NODE_ENV: 'test' }), devConsole, mint)).toBe(mint);
  });

  it('is refused when the gateway verifies tokens with an identity provider', () => {
    const graph = loadConfig({ JWT_JWKS_URL: 'https://id.example.com/jwks', JWT_ISSUER: 'https://id.example.com/' });
    expect(graph.jwt.developmentKey).toBeUndefined();
    expect(developmentSignIn(graph, devConsole, mint)).toBeUndefined();
  });

  it('is refused in production, whatever else is set', () => {
    const graph = loadConfig({ NODE_ENV: 'production', ...signingKey, JWT_JWKS_URL: 'https://id.example.com/jwks', JWT_ISSUER: 'https://id.example.com/' });
    expect(developmentSignIn(graph, devConsole, mint)).toBeUndefined();
    // Even a graph configured by hand with a key: the console in production has none.
    expect(developmentSignIn({ nodeEnv: 'production', jwt: { developmentKey: 'k' } }, devConsole, mint)).toBeUndefined();
    expect(developmentSignIn(loadConfig({}), { ...devConsole, nodeEnv: 'production' }, mint)).toBeUndefined();
  });

  it('is refused when the console signs staff in with OpenID Connect', () => {
    expect(developmentSignIn(loadConfig({}), oidcConsole, mint)).toBeUndefined();
  });
});

describe('the console configuration', () => {
  it('needs the identity provider in production, over https but on this machine', () => {
    expect(() => loadConsoleConfig({ NODE_ENV: 'production' })).toThrow(ConsoleConfigError);
    expect(() => loadConsoleConfig({ NODE_ENV: 'production' })).toThrow(/CONSOLE_OIDC_ISSUER/);
    expect(() => loadConsoleConfig({ NODE_ENV: 'production', CONSOLE_OIDC_ISSUER: 'http://id.example.com/', CONSOLE_OIDC_CLIENT_ID: 'c' })).toThrow(/https/);
    expect(loadConsoleConfig({ NODE_ENV: 'production', CONSOLE_OIDC_ISSUER: 'http://127.0.0.1:9000', CONSOLE_OIDC_CLIENT_ID: 'c' }).oidc).toMatchObject({ kind: 'oidc', clientId: 'c' });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConsoleConfig({ CONSOLE_PORT: 'eighty' })).toThrow(/CONSOLE_PORT/);
    expect(() => loadConsoleConfig({ CONSOLE_OIDC_ISSUER: 'https://id.example.com/' })).toThrow(/CONSOLE_OIDC_CLIENT_ID/);
    expect(() => loadConsoleConfig({ CONSOLE_GATEWAY_URL: 'gateway:4000' })).toThrow(/CONSOLE_GATEWAY_URL/);
    expect(loadConsoleConfig({})).toMatchObject({ port: 4100, gatewayUrl: 'http://127.0.0.1:4000/graphql', oidc: undefined });
  });
});

describe('the development token endpoint', () => {
  let server: RunningConsoleServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const post = (body: unknown, contentType = 'application/json') =>
    fetch(`${server!.url}auth/development-token`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('answers 404 DEVELOPMENT_SIGN_IN_DISABLED where there is no development sign-in', async () => {
    server = await startConsoleServer({ config: { ...oidcConsole, port: 0 }, log: () => undefined });
    const response = await post({ role: 'ADMIN' });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'DEVELOPMENT_SIGN_IN_DISABLED', message: expect.any(String) } });
    expect(await (await fetch(`${server.url}config.json`)).json()).toEqual({
      graphqlUrl: '/graphql',
      signIn: { kind: 'oidc', authority: 'https://id.example.com/', clientId: 'staff-console', scope: 'openid profile', resource: undefined },
    });
  });

  it('mints for a role (and the store of store staff), and refuses what is not one', async () => {
    const minted: unknown[] = [];
    server = await startConsoleServer({ config: { ...devConsole, port: 0 }, developmentTokens: async (holder) => (minted.push(holder), 'token-1'), log: () => undefined });
    expect(await (await fetch(`${server.url}config.json`)).json()).toEqual({ graphqlUrl: '/graphql', signIn: { kind: 'development' } });
    const staff = await post({ role: 'STORE_STAFF', locationId: 'store-1' });
    expect(await staff.json()).toEqual({ token: 'token-1', staffId: 'console-store-staff-store-1', role: 'STORE_STAFF', locationId: 'store-1' });
    expect(minted).toEqual([{ role: 'STORE_STAFF', staffId: 'console-store-staff-store-1', locationId: 'store-1' }]);
    expect((await (await post({ role: 'STORE_STAFF' })).json()).error.code).toBe('LOCATION_REQUIRED');
    expect((await (await post({ role: 'CUSTOMER' })).json()).error.code).toBe('UNKNOWN_ROLE');
    expect((await post('role=ADMIN', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post('{not json')).status).toBe(400);
    // Another role never carries a store.
    expect(await (await post({ role: 'SUPPORT', locationId: 'store-1' })).json()).toMatchObject({ staffId: 'console-support', locationId: null });
  });
});
