/**
 * The console server's configuration, validated at start: where the gateway is, how staff sign in,
 * and where it listens. The one place the console server reads the environment.
 */

/** How the browser signs a member of staff in. */
export type SignInConfig =
  | { kind: 'development' }
  | {
      kind: 'oidc';
      /** The identity provider's issuer URL (its discovery document is under it). */
      authority: string;
      clientId: string;
      scope: string;
      /** RFC 8707 resource the access token is for, when the provider needs one to issue a JWT for the graph. */
      resource?: string;
    };

export interface ConsoleServerConfig {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** The gateway's GraphQL endpoint, which `/graphql` of the console forwards to. */
  gatewayUrl: string;
  /** Where the built app is (`vite build`'s output). */
  staticDir?: string;
  /** OpenID Connect settings; unset in development, where the sign-in page uses development tokens. */
  oidc?: Extract<SignInConfig, { kind: 'oidc' }>;
}

export class ConsoleConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`);
    this.name = 'ConsoleConfigError';
  }
}

type Env = Record<string, string | undefined>;

function httpUrl(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConsoleConfigError(name, `must be a URL, got ${JSON.stringify(value)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConsoleConfigError(name, 'must be an http(s) URL');
  return value;
}

/**
 * CONSOLE_PORT (4100), HOST (127.0.0.1), CONSOLE_GATEWAY_URL (http://127.0.0.1:4000/graphql),
 * CONSOLE_OIDC_ISSUER, CONSOLE_OIDC_CLIENT_ID, CONSOLE_OIDC_SCOPE (`openid profile`),
 * CONSOLE_OIDC_RESOURCE, CONSOLE_STATIC_DIR, NODE_ENV. Production needs the OIDC issuer and client id.
 */
export function loadConsoleConfig(env: Env = process.env): ConsoleServerConfig {
  const nodeEnvRaw = env.NODE_ENV?.trim() || 'development';
  if (!['development', 'test', 'production'].includes(nodeEnvRaw)) throw new ConsoleConfigError('NODE_ENV', 'must be development, test or production');
  const nodeEnv = nodeEnvRaw as ConsoleServerConfig['nodeEnv'];
  const portRaw = env.CONSOLE_PORT?.trim() || '4100';
  const port = Number(portRaw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConsoleConfigError('CONSOLE_PORT', `must be a port number, got ${JSON.stringify(portRaw)}`);
  const issuer = httpUrl(env, 'CONSOLE_OIDC_ISSUER');
  const clientId = env.CONSOLE_OIDC_CLIENT_ID?.trim();
  if (issuer && !clientId) throw new ConsoleConfigError('CONSOLE_OIDC_CLIENT_ID', 'is required with CONSOLE_OIDC_ISSUER');
  if (clientId && !issuer) throw new ConsoleConfigError('CONSOLE_OIDC_ISSUER', 'is required with CONSOLE_OIDC_CLIENT_ID');
  if (nodeEnv === 'production' && !issuer) throw new ConsoleConfigError('CONSOLE_OIDC_ISSUER', 'is required in production (staff sign in with the identity provider)');
  if (nodeEnv === 'production' && issuer && new URL(issuer).protocol !== 'https:' && !isLoopback(new URL(issuer).hostname)) {
    throw new ConsoleConfigError('CONSOLE_OIDC_ISSUER', 'must use https:// in production (http:// only on this machine)');
  }
  return {
    nodeEnv,
    host: env.HOST?.trim() || '127.0.0.1',
    port,
    gatewayUrl: httpUrl(env, 'CONSOLE_GATEWAY_URL') ?? 'http://127.0.0.1:4000/graphql',
    staticDir: env.CONSOLE_STATIC_DIR?.trim() || undefined,
    oidc: issuer
      ? { kind: 'oidc', authority: issuer, clientId: clientId!, scope: env.CONSOLE_OIDC_SCOPE?.trim() || 'openid profile', resource: httpUrl(env, 'CONSOLE_OIDC_RESOURCE') }
      : undefined,
  };
}

export function isLoopback(hostname: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]', '::1'].includes(hostname);
}
