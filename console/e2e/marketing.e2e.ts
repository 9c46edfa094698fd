import { expect, test } from '@playwright/test';
import { e2eGraph } from './fixture';
import { developmentToken, expectAccessible, graphqlAs, screenshot, signIn, tokenOf } from './support/console';

const graph = e2eGraph();

type Segment = { code: string; customers: number; averageLifetimeValue: { amount: number } };
type Vip = { id: string; email: string | null; purchaseSummary: { lifetimeValue: { amount: number } } };

test('marketing reads the segment charts and drills from the top-customers chart into a customer, contact masked', async ({ page }) => {
  await signIn(page, graph.consoleUrl, 'MARKETING');
  await expect(page).toHaveURL(/\/analysis$/);
  for (const chart of ['chart-customers', 'chart-share', 'chart-ltv', 'chart-top']) await expect(page.getByTestId(chart)).toHaveAttribute('data-chart-ready', 'true');

  // The figures beside the charts are the graph's.
  const token = await tokenOf(page);
  const report = await graphqlAs<{ segmentReport: { segments: Segment[] } }>(page.request, graph.consoleUrl, token, '{ segmentReport { segments { code customers averageLifetimeValue { amount } } } }');
  const segments = report.data!.segmentReport.segments;
  expect(segments.length).toBeGreaterThan(0);
  for (const s of segments) await expect(page.locator(`[data-testid="segment-table"] tr[data-segment="${s.code}"] td`).first()).toHaveText(String(s.customers));
  await expect(page.getByTestId('insight')).toContainText('店舗で購入しECを閲覧');
  // A period: the graph's figures of the orders placed in it, the same members.
  await page.getByTestId('period').selectOption('90');
  await expect(page.getByTestId('chart-ltv')).toHaveAttribute('data-chart-ready', 'true');
  for (const s of segments) await expect(page.locator(`[data-testid="segment-table"] tr[data-segment="${s.code}"] td`).first()).toHaveText(String(s.customers));
  await page.getByTestId('period').selectOption('all');
  await screenshot(page, 'analysis-marketing');
  await expectAccessible(page);

  // The customer worth most, as the graph ranks the VIP segment by lifetime value.
  const vip = await graphqlAs<{ customers: { edges: Array<{ node: Vip }> } }>(
    page.request,
    graph.consoleUrl,
    token,
    '{ customers(filter: { segment: VIP }, first: 100) { edges { node { id email purchaseSummary { lifetimeValue { amount } } } } } }',
  );
  const ranked = vip.data!.customers.edges.map((e) => e.node).sort((a, b) => b.purchaseSummary.lifetimeValue.amount - a.purchaseSummary.lifetimeValue.amount);
  const top = ranked[0];
  await expect(page.locator('[data-testid="top-table"] tbody tr').first()).toHaveAttribute('data-customer-id', top.id);

  // Click her bar in the chart: the middle of its first segment, where ECharts drew it.
  const chart = page.getByTestId('chart-top');
  const point = await chart.evaluate((el) => {
    const instance = (el as HTMLElement & { echarts: { getOption(): { series: Array<{ data: number[] }> }; convertToPixel(finder: object, value: [number, number]): [number, number] } }).echarts;
    const series = instance.getOption().series;
    const first = series.findIndex((s) => s.data[0] > 0);
    const start = series.slice(0, first).reduce((sum, s) => sum + s.data[0], 0);
    return instance.convertToPixel({ gridIndex: 0 }, [start + series[first].data[0] / 2, 0]);
  });
  await chart.click({ position: { x: point[0], y: point[1] } });
  await expect(page).toHaveURL(new RegExp(`/customers/${top.id}$`));
  await expect(page.getByTestId('customer-email').locator('.value')).toHaveText(top.email!);
  expect(top.email).toMatch(/\*\*\*@/);
  // Marketing reads no carts: the console does not show the section.
  await expect(page.getByTestId('section-summary')).toBeVisible();
  await expect(page.getByTestId('section-cart')).toHaveCount(0);
  await screenshot(page, 'customer-marketing');
});

test("a hand-made request with marketing's token to the till and the pickup counter is refused by the graph", async ({ page }) => {
  await signIn(page, graph.consoleUrl, 'MARKETING');
  const token = await tokenOf(page);
  const checkout = await graphqlAs<{ checkoutCart: { order: unknown; userErrors: Array<{ code: string }> } }>(
    page.request,
    graph.consoleUrl,
    token,
    `mutation($input: CheckoutCartInput!) { checkoutCart(input: $input) { order { id } userErrors { code } } }`,
    { input: { cartId: graph.spareCart.id, idempotencyKey: 'e2e-marketing-till', fulfillment: { type: 'CARRY_OUT', locationId: graph.store.id }, payment: { method: 'PAY_AT_STORE' } } },
  );
  expect(checkout.data?.checkoutCart).toEqual({ order: null, userErrors: [{ code: 'NOT_AT_THE_TILL' }] });
  const pickup = await graphqlAs(page.request, graph.consoleUrl, token, `mutation { markReadyForPickup(input: { orderId: "${graph.spareCart.id}" }) { order { id } } }`);
  expect(pickup.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  const cart = await graphqlAs(page.request, graph.consoleUrl, token, `query($id: ID!) { cart(id: $id) { id status } }`, { id: graph.spareCart.id });
  expect(cart.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

  // The cart is as it was.
  const admin = await developmentToken(page.request, graph.consoleUrl, 'ADMIN');
  const after = await graphqlAs<{ cart: unknown }>(page.request, graph.consoleUrl, admin, `query($id: ID!) { cart(id: $id) { status checkedOutOrder { id } } }`, { id: graph.spareCart.id });
  expect(after.data?.cart).toEqual({ status: 'ACTIVE', checkedOutOrder: null });
});
