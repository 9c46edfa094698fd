import 'reflect-metadata';
import http from 'node:http';
import path from 'node:path';
import { mintDevelopmentToken } from '../../../gateway/src/auth/development-tokens';
import type { SubgraphName } from '../../../shared/config';
import { query, testConfig } from '../../../shared/testkit';
import { freePort } from '../../../shared/testkit/private-redis';
import { startExtraGateway, startTestGraph, type TestGraph } from '../../../test/support/graph';
import type { ConsoleServerConfig } from '../../server/config';
import { developmentSignIn } from '../../server/development-sign-in';
import { startConsoleServer } from '../../server/server';
import type { E2eGraph } from '../fixture';
import { CONSOLE_CLIENT_ID, GRAPH_RESOURCE, GRAPH_SCOPE, startLocalProvider } from './oidc-provider';

/**
 * The graph the browser tests drive: the whole graph seeded at scale 0.02 (embedded, or on MySQL and
 * Redis when the environment names them), the built console in front of its gateway with development
 * sign-in, and a second console in front of a second gateway that verifies tokens of a local OpenID
 * provider. Prints one line, `E2E_GRAPH {json}`, when ready; stops everything on SIGTERM.
 * Run from the repository root with ts-node (playwright.config.ts does).
 */
const CONSOLE_DIST = path.join(__dirname, '..', '..', 'dist');

const CUSTOMER = `query($id: ID!, $store: ID!) { customer(id: $id) { id displayName email
  identities { type value verified }
  recommendations(first: 6, context: { locationId: $store, channel: STORE, inStockOnly: true }) { product { name } variant { id availability(locationIds: [$store]) { available } } } } }`;
const PRODUCT_LEVELS = `query($id: ID!, $store: ID!) { product(id: $id) { variants { id availability(locationIds: [$store]) { available } } } }`;
const ADJUST = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { level { available } userErrors { code } } }`;
const PLACE_ORDER = `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id number } userErrors { code } } }`;
const CART_CREATE = `mutation($input: CartCreateInput!) { cartCreate(input: $input) { cart { id itemCount lines { product { name } } } userErrors { code } } }`;

async function main(): Promise<void> {
  const graph = await startTestGraph({ scale: 0.02, config: testConfig({ RATE_LIMIT_GUEST_ORDERS: '1000000' }) });
  const stops: Array<() => Promise<void>> = [() => graph.teardown()];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((err: unknown) => console.error(err));
  };
  process.on('SIGTERM', () => void stop().then(() => process.exit(0)));
  process.on('SIGINT', () => void stop().then(() => process.exit(0)));
  try {
    await graph.settle();
    const fixture = await prepare(graph);

    // The console with development sign-in, as `npm start` serves it.
    const consoleConfig: ConsoleServerConfig = { nodeEnv: 'test', host: '127.0.0.1', port: 0, gatewayUrl: graph.gateway.url, staticDir: CONSOLE_DIST };
    const devConsole = await startConsoleServer({
      config: consoleConfig,
      developmentTokens: developmentSignIn(graph.config, consoleConfig, (holder) => mintDevelopmentToken(graph.config.jwt, holder)),
      log: () => undefined,
    });
    stops.push(() => devConsole.close());

    // The console with OpenID Connect, in front of a gateway that verifies the provider's tokens only.
    const oidcConsolePort = await freePort();
    const oidcConsoleOrigin = `http://127.0.0.1:${oidcConsolePort}`;
    const provider = await startLocalProvider({
      port: await freePort(),
      consoleOrigin: oidcConsoleOrigin,
      accounts: { 'mika-marketing': { role: 'MARKETING' }, 'ken-clerk': { role: 'STORE_STAFF', locationId: fixture.store.id } },
    });
    stops.push(() => provider.close());
    const oidcGateway = await startExtraGateway(graph, { JWT_JWKS_URL: provider.jwksUrl, JWT_ISSUER: provider.issuer });
    stops.push(() => oidcGateway.stop());
    const oidcConfig: ConsoleServerConfig = {
      nodeEnv: 'test',
      host: '127.0.0.1',
      port: oidcConsolePort,
      gatewayUrl: oidcGateway.url,
      staticDir: CONSOLE_DIST,
      oidc: { kind: 'oidc', authority: provider.issuer, clientId: CONSOLE_CLIENT_ID, scope: `openid ${GRAPH_SCOPE}`, resource: GRAPH_RESOURCE },
    };
    // The gateway has an identity provider, so there is no development sign-in (developmentSignIn says no).
    const oidcGatewaySettings = { nodeEnv: 'test' as const, jwt: { developmentKey: undefined } };
    const oidcConsole = await startConsoleServer({
      config: oidcConfig,
      developmentTokens: developmentSignIn(oidcGatewaySettings, oidcConfig, () => Promise.reject(new Error('never'))),
      log: () => undefined,
    });
    stops.push(() => oidcConsole.close());

    const control = await startControl(graph);
    stops.push(() => control.close());

    const ready: E2eGraph = {
      ...fixture,
      consoleUrl: devConsole.url.replace(/\/$/, ''),
      oidcConsoleUrl: oidcConsoleOrigin,
      issuer: provider.issuer,
      controlUrl: control.url,
      oidcAccounts: { marketing: 'mika-marketing', clerk: 'ken-clerk' },
    };
    console.log(`E2E_GRAPH ${JSON.stringify(ready)}`);
  } catch (err) {
    console.error(err);
    await stop();
    process.exit(1);
  }
}

type Fixture = Omit<E2eGraph, 'consoleUrl' | 'oidcConsoleUrl' | 'issuer' | 'controlUrl' | 'oidcAccounts'>;

/** Picks the people of each journey and puts what they need in place, through the gateway. */
async function prepare(graph: TestGraph): Promise<Fixture> {
  const url = graph.gateway.url;
  const admin = await graph.as({ role: 'ADMIN', staffId: 'e2e-admin' });
  const store = graph.data.locations.find((l) => l.type === 'STORE' && l.pickupEnabled)!;
  const clerk = await graph.as({ role: 'STORE_STAFF', staffId: 'e2e-fixture-clerk', locationId: store.id });
  const duplicateIds = new Set(graph.data.duplicates.flatMap((d) => [d.a, d.b]));
  const candidates = graph.data.customers.filter(
    (c) => !duplicateIds.has(c.id) && c.email && c.identities.some((i) => i.type === 'MEMBER_CARD' && i.verified),
  );

  // The clerk's customer: one whose recommendations in this store include her size in stock there.
  type Seen = { id: string; displayName: string; email: string | null; identities: Array<{ type: string; value: string; verified: boolean }>; recommendations: Array<{ product: { name: string } | null; variant: { id: string; availability: Array<{ available: number }> } | null }> };
  let chosen: { customer: Seen; recommended: string } | undefined;
  for (const candidate of candidates) {
    const { customer } = await query<{ customer: Seen }>(url, CUSTOMER, { id: candidate.id, store: store.id }, clerk);
    const inStock = customer.recommendations.find((r) => r.product && r.variant?.availability.some((a) => a.available > 0));
    if (inStock) {
      chosen = { customer, recommended: inStock.product!.name };
      break;
    }
  }
  if (!chosen) throw new Error('no customer with a membership card has a recommendation in stock at the store');
  const her = chosen.customer;
  const used = new Set([her.id]);

  // Her app cart: two styles sold online, in stock at the store for the till.
  const styles = graph.data.products.filter((p) => p.soldOnline).slice(0, 3);
  const lines = [];
  for (const style of styles.slice(0, 2)) {
    const variant = style.variants[0];
    await stockAtLeast(url, admin, style.id, variant.id, store.id, 5);
    lines.push({ variantId: variant.id, quantity: 1 });
  }
  const herToken = await graph.as({ customer: her.id });
  const created = await query<{ cartCreate: { cart: { id: string; itemCount: number; lines: Array<{ product: { name: string } }> }; userErrors: unknown[] } }>(
    url,
    CART_CREATE,
    { input: { channel: 'APP', lines } },
    herToken,
  );
  if (created.cartCreate.userErrors.length) throw new Error(`her cart: ${JSON.stringify(created.cartCreate.userErrors)}`);

  // Another customer's open cart, for the hand-made checkout that must be refused.
  const spare = candidates.find((c) => !used.has(c.id))!;
  used.add(spare.id);
  await stockAtLeast(url, admin, styles[2].id, styles[2].variants[0].id, store.id, 5);
  const spareCart = await query<{ cartCreate: { cart: { id: string } } }>(
    url,
    CART_CREATE,
    { input: { channel: 'EC', lines: [{ variantId: styles[2].variants[0].id, quantity: 1 }] } },
    await graph.as({ customer: spare.id }),
  );

  // Of the two records of one person, the one with an e-mail address (registered online) survives.
  // A pickup order waiting at the store: the spare customer ordered it in the app.
  const pickupStyle = graph.data.products.filter((p) => p.soldOnline)[3];
  await stockAtLeast(url, admin, pickupStyle.id, pickupStyle.variants[0].id, store.id, 5);
  const placed = await query<{ placeOrder: { order: { id: string; number: string } | null; userErrors: unknown[] } }>(
    url,
    PLACE_ORDER,
    { input: { idempotencyKey: 'e2e-pickup-1', channel: 'APP', lines: [{ variantId: pickupStyle.variants[0].id, quantity: 1 }], fulfillment: { type: 'PICKUP_IN_STORE', locationId: store.id } } },
    await graph.as({ customer: spare.id }),
  );
  if (!placed.placeOrder.order) throw new Error(`the pickup order: ${JSON.stringify(placed.placeOrder.userErrors)}`);

  const pair = graph.data.duplicates.map(({ a, b }) => (graph.data.customers.find((c) => c.id === a)!.email ? { a, b } : { a: b, b: a })).find(({ a }) => !!graph.data.customers.find((c) => c.id === a)!.email)!;
  const name = (id: string) => graph.data.customers.find((c) => c.id === id)!.displayName;
  const rest = graph.data.customers.filter((c) => !used.has(c.id) && !duplicateIds.has(c.id));
  // Someone back with what she bought in a store: her latest order (the first her page lists) was a store sale.
  const latest = new Map(graph.data.orders.filter((o) => o.customerId).map((o) => [o.customerId!, o]));
  const returner = rest.slice(2).find((c) => latest.get(c.id)?.channel === 'STORE')!;
  const returned = latest.get(returner.id)!;
  return {
    store: { id: store.id, name: store.name },
    clerkCustomer: {
      id: her.id,
      displayName: her.displayName,
      card: her.identities.find((i) => i.type === 'MEMBER_CARD' && i.verified)!.value,
      maskedEmail: her.email,
      cartId: created.cartCreate.cart.id,
      cartItems: created.cartCreate.cart.itemCount,
      cartProductNames: created.cartCreate.cart.lines.map((l) => l.product.name),
      recommendedInStock: chosen.recommended,
    },
    spareCart: { id: spareCart.cartCreate.cart.id, customerId: spare.id },
    duplicates: { survivorId: pair.a, survivorName: name(pair.a), mergedId: pair.b, mergedName: name(pair.b) },
    pickup: { orderId: placed.placeOrder.order.id, number: placed.placeOrder.order.number },
    returner: { id: returner.id, displayName: returner.displayName, orderNumber: returned.number, productName: graph.data.products.find((p) => p.id === returned.lines[0].productId)!.name },
    erasable: { id: rest[0].id, displayName: rest[0].displayName },
    partial: { id: rest[1].id, displayName: rest[1].displayName },
  };
}

async function stockAtLeast(url: string, admin: Record<string, string>, productId: string, variantId: string, locationId: string, units: number): Promise<void> {
  const { product } = await query<{ product: { variants: Array<{ id: string; availability: Array<{ available: number }> }> } }>(url, PRODUCT_LEVELS, { id: productId, store: locationId }, admin);
  const available = product.variants.find((v) => v.id === variantId)?.availability[0]?.available ?? 0;
  if (available >= units) return;
  const { adjustStock } = await query<{ adjustStock: { userErrors: unknown[] } }>(url, ADJUST, { input: { locationId, variantId, delta: units - available, reason: 'e2e: stock for the till' } }, admin);
  if (adjustStock.userErrors.length) throw new Error(`adjustStock: ${JSON.stringify(adjustStock.userErrors)}`);
}

/** POST /down/<service> stops a subgraph serving (its port closed), /up/<service> starts it again on the same port. */
async function startControl(graph: TestGraph): Promise<{ url: string; close(): Promise<void> }> {
  const ports = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const [, action, name] = (req.url ?? '').split('/');
    const subgraph = graph.subgraphs[name as SubgraphName];
    if (req.method !== 'POST' || !subgraph || (action !== 'down' && action !== 'up')) {
      res.writeHead(404).end();
      return;
    }
    const done = (err?: unknown) => res.writeHead(err ? 500 : 204).end(err ? String(err) : undefined);
    if (action === 'down') {
      ports.set(name, Number(new URL(subgraph.url!).port));
      subgraph.stopServing().then(() => done(), done);
    } else {
      subgraph.listen(ports.get(name)!).then(() => done(), done);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

void main();
