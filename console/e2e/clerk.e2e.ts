import { expect, test } from '@playwright/test';
import { e2eGraph } from './fixture';
import { expectAccessible, graphqlAs, screenshot, signIn, tokenOf } from './support/console';

const graph = e2eGraph();

test('a clerk finds a customer by her card, sees her contact masked and her size in stock here, and checks her app cart out at the till', async ({ page }) => {
  const her = graph.clerkCustomer;
  await signIn(page, graph.consoleUrl, 'STORE_STAFF', graph.store.name);
  await expect(page).toHaveURL(/\/store$/);
  await expect(page.getByRole('heading', { level: 1, name: graph.store.name })).toBeVisible();
  await expect(page.getByTestId('section-bestsellers').getByRole('listitem').first()).toBeVisible();
  await screenshot(page, 'store-clerk');
  await expectAccessible(page);

  await page.getByRole('link', { name: '顧客検索' }).click();
  await page.getByTestId('search-kind').selectOption('MEMBER_CARD');
  await page.getByTestId('search-input').fill(her.card);
  await page.getByRole('button', { name: '検索', exact: true }).click();
  const row = page.getByTestId('search-results').getByRole('row').filter({ hasText: her.displayName });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(her.maskedEmail!);
  await screenshot(page, 'search-clerk');
  await expectAccessible(page);
  await row.getByRole('link', { name: her.displayName }).click();

  await expect(page.getByTestId('customer-name')).toHaveText(her.displayName);
  // Exactly as the graph masks it for store staff: the shape kept, the rest hidden.
  expect(her.maskedEmail).toMatch(/^.\*\*\*@/);
  await expect(page.getByTestId('customer-email').locator('.value')).toHaveText(her.maskedEmail!);
  const recommended = page.getByTestId('recommendations').getByRole('listitem').filter({ hasText: her.recommendedInStock });
  await expect(recommended.first().getByTestId('stock-here')).toContainText(graph.store.name);
  const cart = page.getByTestId('cart-lines');
  for (const name of her.cartProductNames) await expect(cart).toContainText(name);
  await expect(page.getByTestId('ltv-by-channel')).toHaveAttribute('data-chart-ready', 'true');
  await screenshot(page, 'customer-clerk');
  await expectAccessible(page);

  await page.getByTestId('check-in').click();
  await expect(page.getByTestId('presence')).toContainText(graph.store.name);
  // The store page now lists her among who is in, and opens her page again.
  await page.getByRole('navigation').getByRole('link', { name: '店舗' }).click();
  const present = page.getByTestId('section-present').getByRole('link', { name: her.displayName });
  await expect(present).toBeVisible();
  await present.click();
  await expect(page.getByTestId('customer-name')).toHaveText(her.displayName);

  await page.getByTestId('checkout-open').click();
  await expect(page.getByTestId('checkout-dialog')).toContainText(`${her.cartItems}点`);
  await page.getByTestId('checkout-confirm').click();
  const done = page.getByTestId('checkout-done');
  await expect(done).toContainText('注文番号');
  const number = /注文番号 (\S+)/.exec((await done.textContent()) ?? '')?.[1];
  expect(number).toBeTruthy();
  await expect(page.getByTestId('cart-empty')).toBeVisible();
  await expect(page.locator(`[data-testid="orders"] tr[data-order-number="${number}"]`)).toBeVisible();

  // What the graph recorded: a store sale at her store, completed and paid, from her cart.
  const answer = await graphqlAs<{ orderByNumber: unknown }>(
    page.request,
    graph.consoleUrl,
    await tokenOf(page),
    `query($n: String!) { orderByNumber(number: $n) { channel status fulfillment { type location { id } } payment { method status } cart { id status } customer { id } } }`,
    { n: number },
  );
  expect(answer.data?.orderByNumber).toEqual({
    channel: 'STORE',
    status: 'COMPLETED',
    fulfillment: { type: 'CARRY_OUT', location: { id: graph.store.id } },
    payment: { method: 'PAY_AT_STORE', status: 'PAID' },
    cart: { id: her.cartId, status: 'CHECKED_OUT' },
    customer: { id: her.id },
  });
});

test('a clerk cannot open the analysis page, and the graph refuses her its figures; English is one click away', async ({ page }) => {
  await page.goto(`${graph.consoleUrl}/signin`);
  await expect(page.getByLabel('店舗', { exact: true }).locator('option')).not.toHaveCount(1);
  await screenshot(page, 'sign-in');
  await expectAccessible(page);
  await signIn(page, graph.consoleUrl, 'STORE_STAFF', graph.store.name);
  await expect(page.getByRole('navigation').getByRole('link')).toHaveText(['顧客検索', '店舗']);
  await page.goto(`${graph.consoleUrl}/analysis`);
  await expect(page.getByTestId('not-allowed')).toBeVisible();
  await expect(page.getByTestId('analysis-page')).toHaveCount(0);
  const answer = await graphqlAs(page.request, graph.consoleUrl, await tokenOf(page), '{ segmentReport { segments { code } } }');
  expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('navigation').getByRole('link')).toHaveText(['Customers', 'Store']);
  await expect(page.getByTestId('not-allowed')).toContainText('This page is not available');
});

test('a clerk links a membership card she has seen, takes a return of a store sale, and moves a pickup along the queue', async ({ page }) => {
  const { returner, pickup } = graph;
  await signIn(page, graph.consoleUrl, 'STORE_STAFF', graph.store.name);

  await page.goto(`${graph.consoleUrl}/customers/${returner.id}`);
  await expect(page.getByTestId('customer-name')).toHaveText(returner.displayName);
  const card = `MC${Date.now().toString().slice(-10)}`;
  await page.getByTestId('link-card').click();
  const linking = page.getByTestId('link-card-dialog');
  await linking.getByLabel('会員カード番号').fill(card);
  await expect(linking.getByLabel('カードの実物を確認しました')).toBeChecked();
  await linking.getByRole('button', { name: '会員カードを登録' }).click();
  await expect(page.getByTestId('action-status')).toHaveText('会員カードを登録しました');
  await expect(page.getByTestId('identities').locator('li[data-type="MEMBER_CARD"]').filter({ hasText: card })).toContainText('確認済み');

  const row = page.locator(`[data-testid="orders"] tr[data-order-number="${returner.orderNumber}"]`);
  await row.getByRole('button', { name: '返品を受け付ける' }).click();
  const returning = page.getByTestId('return-dialog');
  await returning.getByLabel(new RegExp(`^${returner.productName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)).fill('1');
  await returning.getByLabel('理由').fill('サイズが合わない');
  await returning.getByRole('button', { name: '返品を受け付ける' }).click();
  await expect(returning.getByRole('status')).toContainText('返品を受け付けました');
  await returning.getByRole('button', { name: '閉じる' }).click();

  await page.getByRole('link', { name: '店舗' }).click();
  const waiting = page.locator(`[data-testid="pickups"] tr[data-order-number="${pickup.number}"]`);
  await expect(waiting).toContainText('受付済み');
  await waiting.getByRole('button', { name: '準備完了にする' }).click();
  await expect(waiting).toContainText('受け取り準備完了');
  await screenshot(page, 'store-clerk-pickups');
  await waiting.getByRole('button', { name: '受け渡し完了' }).click();
  await expect(waiting).toHaveCount(0);
  const answer = await graphqlAs<{ order: unknown }>(page.request, graph.consoleUrl, await tokenOf(page), `query($id: ID!) { order(id: $id) { status fulfillment { status } } }`, { id: pickup.orderId });
  expect(answer.data?.order).toEqual({ status: 'COMPLETED', fulfillment: { status: 'PICKED_UP' } });
});
