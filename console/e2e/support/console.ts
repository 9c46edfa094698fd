import fs from 'node:fs';
import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import axe from 'axe-core';

export type Role = 'STORE_STAFF' | 'SUPPORT' | 'MARKETING' | 'ADMIN';

/** Role names on the sign-in page (Japanese, the console's first language). */
export const ROLE_LABELS: Record<Role, string> = { STORE_STAFF: '店舗スタッフ', SUPPORT: 'カスタマーサポート', MARKETING: 'マーケティング', ADMIN: '管理者' };

/** Development sign-in, as a person does it: the role, and the store for store staff. */
export async function signIn(page: Page, consoleUrl: string, role: Role, storeName?: string): Promise<void> {
  await page.goto(`${consoleUrl}/signin`);
  await page.getByRole('radio', { name: ROLE_LABELS[role] }).check();
  if (storeName) await page.getByLabel('店舗', { exact: true }).selectOption({ label: storeName });
  await page.getByRole('button', { name: 'サインイン', exact: true }).click();
  await expect(page.getByTestId('who')).toContainText(ROLE_LABELS[role]);
}

/** The signed-in person's token, as the console holds it. */
export async function tokenOf(page: Page): Promise<string> {
  const session = await page.evaluate(() => sessionStorage.getItem('console.session'));
  if (!session) throw new Error('not signed in');
  return (JSON.parse(session) as { token: string }).token;
}

export interface GraphAnswer<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; path?: string[]; extensions?: { code?: string; service?: string } }>;
}

/** A hand-made request through the console's /graphql (what a person could send with their token). */
export async function graphqlAs<T = Record<string, unknown>>(request: APIRequestContext, consoleUrl: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<GraphAnswer<T>> {
  const response = await request.post(`${consoleUrl}/graphql`, { data: { query, variables }, headers: { authorization: `Bearer ${token}` } });
  return { status: response.status(), ...((await response.json()) as Omit<GraphAnswer<T>, 'status'>) };
}

/** A development token for a role (the dev console's sign-in endpoint), for checks through the graph. */
export async function developmentToken(request: APIRequestContext, consoleUrl: string, role: Role, locationId?: string): Promise<string> {
  const response = await request.post(`${consoleUrl}/auth/development-token`, { data: { role, locationId } });
  expect(response.status()).toBe(200);
  return ((await response.json()) as { token: string }).token;
}

/** A full-page screenshot kept as a CI artifact (test-results/<backing>/screens/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const screens = path.join(test.info().project.outputDir, 'screens');
  fs.mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: path.join(screens, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is: no serious or critical violation of WCAG 2.1 A/AA. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  const blocking = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ rule: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  expect(blocking).toEqual([]);
}
