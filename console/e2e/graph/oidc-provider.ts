import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalProviderAccount {
  role: 'STORE_STAFF' | 'SUPPORT' | 'MARKETING' | 'ADMIN';
  locationId?: string;
}

export interface LocalProvider {
  issuer: string;
  jwksUrl: string;
  close(): Promise<void>;
}

/** The audience the gateway checks (JWT_AUDIENCE's default) and the resource the console asks tokens for. */
export const GRAPH_AUDIENCE = 'unified-commerce-graph';
export const GRAPH_RESOURCE = 'urn:unified-commerce-graph';
export const GRAPH_SCOPE = 'graph';
export const CONSOLE_CLIENT_ID = 'staff-console';

/**
 * A real OpenID provider (the `oidc-provider` package) on this machine: authorization code with PKCE
 * required, access tokens as JWTs for the graph (RFC 8707 resource indicators) carrying the staff role
 * and store, signed with an RSA key published at its JWKS. Its development login form takes any
 * password for the accounts given.
 */
export async function startLocalProvider(options: { port: number; consoleOrigin: string; accounts: Record<string, LocalProviderAccount> }): Promise<LocalProvider> {
  // ESM only: loaded as such from this CommonJS harness.
  const specifier = 'oidc-provider';
  const { default: Provider } = (await import(specifier)) as { default: new (issuer: string, config: Record<string, unknown>) => ProviderInstance };
  const issuer = `http://127.0.0.1:${options.port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'e2e-1', alg: 'RS256', use: 'sig' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${options.consoleOrigin}/callback`],
        post_logout_redirect_uris: [`${options.consoleOrigin}/signin`],
      },
    ],
    pkce: { required: () => true },
    jwks: { keys: [signingKey] },
    cookies: { keys: ['e2e-only-cookie-key-0123456789'] },
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => GRAPH_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== GRAPH_RESOURCE) throw new Error(`unknown resource ${resource}`);
          return { scope: GRAPH_SCOPE, audience: GRAPH_AUDIENCE, accessTokenFormat: 'jwt', accessTokenTTL: 3600, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    findAccount: (_ctx: unknown, id: string) => (options.accounts[id] ? { accountId: id, claims: async () => ({ sub: id }) } : undefined),
    // The staff claims the gateway reads (README.md, "Access"): role, and the store of store staff.
    extraTokenClaims: (_ctx: unknown, token: { accountId?: string }) => {
      const account = token.accountId ? options.accounts[token.accountId] : undefined;
      return account ? { role: account.role, ...(account.locationId ? { location_id: account.locationId } : {}) } : {};
    },
    // A first-party client: no consent screen.
    loadExistingGrant: async (ctx: GrantContext) => {
      const { client, session } = ctx.oidc;
      // Asked before the login too: a grant belongs to someone signed in.
      if (!session?.accountId) return undefined;
      const existing = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope('openid');
      grant.addResourceScope(GRAPH_RESOURCE, GRAPH_SCOPE);
      await grant.save();
      return grant;
    },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        void port;
      }),
  };
}

interface ProviderInstance {
  callback(): http.RequestListener;
}

interface GrantInstance {
  jti: string;
  addOIDCScope(scope: string): void;
  addResourceScope(resource: string, scope: string): void;
  save(): Promise<string>;
}

interface GrantContext {
  oidc: {
    client: { clientId: string };
    result?: { consent?: { grantId?: string } };
    session?: { accountId?: string; grantIdFor(clientId: string): string | undefined };
    provider: { Grant: { new (init: { clientId: string; accountId?: string }): GrantInstance; find(id: string): Promise<GrantInstance | undefined> } };
  };
}
