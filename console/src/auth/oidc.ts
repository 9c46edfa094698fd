import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { SignInConfig } from '../config';
import { sessionOfToken, type Session } from './session';

type OidcConfig = Extract<SignInConfig, { kind: 'oidc' }>;

let manager: UserManager | undefined;

/** OpenID Connect with oidc-client-ts: authorization code with PKCE (S256), state and nonce checked by the library. */
export function userManager(config: OidcConfig): UserManager {
  manager ??= new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: `${window.location.origin}/callback`,
    post_logout_redirect_uri: `${window.location.origin}/signin`,
    response_type: 'code',
    scope: config.scope,
    // Tokens live as long as the tab: nothing in localStorage.
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
    stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
    automaticSilentRenew: false,
    ...(config.resource ? { extraQueryParams: { resource: config.resource }, extraTokenParams: { resource: config.resource } } : {}),
  });
  return manager;
}

export function beginOidcSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  return userManager(config).signinRedirect({ state: { returnTo } });
}

/** Completes the redirect back from the provider: the access token (a JWT for the graph) becomes the session. */
export async function completeOidcSignIn(config: OidcConfig): Promise<{ session: Session | null; returnTo: string }> {
  const user = await userManager(config).signinRedirectCallback();
  const returnTo = (user.state as { returnTo?: string } | undefined)?.returnTo ?? '/';
  return { session: sessionOfToken(user.access_token, 'oidc'), returnTo };
}

export async function endOidcSession(config: OidcConfig): Promise<void> {
  await userManager(config).removeUser();
}
