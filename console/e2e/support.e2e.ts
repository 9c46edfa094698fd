import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { e2eGraph } from './fixture';
import { expectAccessible, graphqlAs, screenshot, signIn, tokenOf } from './support/console';

const graph = e2eGraph();

test('support previews a merge of two records of one person, merges them, and downloads the disclosure export', async ({ page }) => {
  const { survivorId, survivorName, mergedId, mergedName } = graph.duplicates;
  await signIn(page, graph.consoleUrl, 'SUPPORT');
  await page.goto(`${graph.consoleUrl}/customers/${survivorId}`);
  await expect(page.getByTestId('customer-name')).toHaveText(survivorName);
  // Support sees contact details unmasked.
  await expect(page.getByTestId('customer-email').locator('.value')).not.toContainText('*');

  await page.getByTestId('merge-id').fill(mergedId);
  await page.getByTestId('merge-preview').click();
  const preview = page.getByTestId('merge-preview-result');
  await expect(preview).toContainText(`${mergedName} を ${survivorName} に統合`);
  await expect(preview).toContainText('移動します');
  await screenshot(page, 'customer-support-merge-preview');
  await expectAccessible(page);
  await page.getByTestId('merge-confirm').click();
  await expect(page.getByTestId('merge-status')).toHaveText('統合しました');
  await expect(page.getByTestId('merge-records')).toContainText(mergedId);

  // The graph answers the merged-away id with the survivor.
  const answer = await graphqlAs<{ customer: { id: string; mergedIds: string[] } }>(page.request, graph.consoleUrl, await tokenOf(page), `query($id: ID!) { customer(id: $id) { id mergedIds } }`, { id: mergedId });
  expect(answer.data?.customer).toEqual({ id: survivorId, mergedIds: [mergedId] });

  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`customer-${survivorId}-export.json`);
  const exported = JSON.parse(fs.readFileSync(await file.path(), 'utf8')) as { customerId: string };
  expect(exported.customerId).toBe(survivorId);
});

test('an admin erases a customer only after typing her name back', async ({ page }) => {
  const { id, displayName } = graph.erasable;
  await signIn(page, graph.consoleUrl, 'ADMIN');
  await page.goto(`${graph.consoleUrl}/customers/${id}`);
  await expect(page.getByTestId('customer-name')).toHaveText(displayName);
  await page.getByTestId('erase').click();
  const dialog = page.getByTestId('erase-dialog');
  await expect(dialog.getByTestId('erase-warning')).toContainText(displayName);
  await expect(dialog.getByTestId('erase-confirm')).toBeDisabled();
  await dialog.getByTestId('erase-name').fill('someone else');
  await expect(dialog.getByTestId('erase-confirm')).toBeDisabled();
  await dialog.getByTestId('erase-name').fill(displayName);
  await screenshot(page, 'customer-admin-erase');
  await dialog.getByTestId('erase-confirm').click();
  await expect(page).toHaveURL(/\/search$/);
  const answer = await graphqlAs<{ customer: { erasedAt: string | null } | null }>(page.request, graph.consoleUrl, await tokenOf(page), `query($id: ID!) { customer(id: $id) { erasedAt } }`, { id });
  expect(answer.data?.customer?.erasedAt ?? 'gone').toBeTruthy();
});

test('with a service down, the customer page shows what is there and says what is missing', async ({ page, request }) => {
  const { id, displayName } = graph.partial;
  await signIn(page, graph.consoleUrl, 'SUPPORT');
  expect((await request.post(`${graph.controlUrl}/down/recommendations`)).status()).toBe(204);
  try {
    await page.goto(`${graph.consoleUrl}/customers/${id}`);
    await expect(page.getByTestId('customer-name')).toHaveText(displayName);
    const problem = page.getByTestId('problems').locator('li[data-code="UNAVAILABLE"][data-service="recommendations"]');
    await expect(problem.first()).toContainText('レコメンド');
    await expect(page.getByTestId('section-recommendations').getByTestId('missing')).toBeVisible();
    await expect(page.getByTestId('section-summary').getByTestId('ltv')).toBeVisible();
    await expect(page.getByTestId('section-orders').locator('tbody tr').first()).toBeVisible();
    await screenshot(page, 'customer-recommendations-down');
  } finally {
    expect((await request.post(`${graph.controlUrl}/up/recommendations`)).status()).toBe(204);
  }
});
