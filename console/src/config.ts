/** What the console server tells the app at start (`/config.json`; console/server/server.ts). */
export type SignInConfig =
  | { kind: 'development' }
  | { kind: 'oidc'; authority: string; clientId: string; scope: string; resource?: string };

export interface RuntimeConfig {
  /** The gateway's GraphQL endpoint as the browser reaches it (the console server forwards `/graphql`). */
  graphqlUrl: string;
  signIn: SignInConfig;
}

export async function loadRuntimeConfig(): Promise<RuntimeConfig> {
  const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`/config.json answered ${response.status}`);
  return (await response.json()) as RuntimeConfig;
}
