import { expect, test } from '@playwright/test';
import { e2eGraph } from './fixture';
import { graphqlAs, screenshot, tokenOf } from './support/console';

const graph = e2eGraph();

test('with an identity provider, staff sign in by OpenID Connect (code + PKCE) and the graph accepts its tokens; development sign-in is gone', async ({ page }) => {
  const config = await (await page.request.get(`${graph.oidcConsoleUrl}/config.json`)).json();
  expect(config.signIn).toMatchObject({ kind: 'oidc', authority: graph.issuer });
  const refused = await page.request.post(`${graph.oidcConsoleUrl}/auth/development-token`, { data: { role: 'ADMIN' } });
  expect(refused.status()).toBe(404);
  expect((await refused.json()).error.code).toBe('DEVELOPMENT_SIGN_IN_DISABLED');

  await page.goto(`${graph.oidcConsoleUrl}/analysis`);
  await expect(page).toHaveURL(/\/signin$/);
  await expect(page.getByRole('radio')).toHaveCount(0);
  await page.getByRole('button', { name: '会社のアカウントでサインイン' }).click();

  // The provider's own login page (oidc-provider's development interactions).
  await expect(page).toHaveURL(new RegExp(`^${graph.issuer}/`));
  expect(new URL(page.url()).pathname).toMatch(/^\/interaction\//);
  await page.locator('input[name="login"]').fill(graph.oidcAccounts.marketing);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();

  // Back in the console where she was going, with data the gateway served for the provider's token.
  await expect(page).toHaveURL(`${graph.oidcConsoleUrl}/analysis`);
  await expect(page.getByTestId('chart-customers')).toHaveAttribute('data-chart-ready', 'true');
  await screenshot(page, 'analysis-oidc');
  const token = await tokenOf(page);
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({ iss: graph.issuer, aud: 'unified-commerce-graph', role: 'MARKETING', sub: graph.oidcAccounts.marketing });

  // A development token means nothing to a gateway that trusts the provider.
  const devToken = await (await page.request.post(`${graph.consoleUrl}/auth/development-token`, { data: { role: 'ADMIN' } })).json();
  const answer = await graphqlAs(page.request, graph.oidcConsoleUrl, devToken.token, '{ segmentReport { generatedAt } }');
  expect(answer.status).toBe(401);
  expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
});
