/**
 * What the e2e graph (graph/graph-server.ts) hands the browser tests: where everything listens, and the
 * people and records each journey uses (each journey its own, so that journeys do not meet).
 */
export interface E2eGraph {
  /** The console served with development sign-in, in front of the graph's gateway. */
  consoleUrl: string;
  /** The console configured for OpenID Connect, in front of a gateway that verifies the provider's tokens. */
  oidcConsoleUrl: string;
  /** The local OpenID provider (oidc-provider). */
  issuer: string;
  /** Stops and restarts a subgraph: POST {control}/down/<service>, /up/<service>. */
  controlUrl: string;
  store: { id: string; name: string };
  /** The clerk's customer: a verified membership card, contact details, an app cart with lines in stock at the store. */
  clerkCustomer: { id: string; displayName: string; card: string; maskedEmail: string | null; cartId: string; cartItems: number; cartProductNames: string[]; recommendedInStock: string };
  /** Another customer's open cart: what a hand-made checkout by the wrong role must leave alone. */
  spareCart: { id: string; customerId: string };
  /** A pickup order waiting at the store. */
  pickup: { orderId: string; number: string };
  /** A customer back in the store with what she bought there last (her latest order). */
  returner: { id: string; displayName: string; orderNumber: string; productName: string };
  /** A pair of records of one person, for support to merge. */
  duplicates: { survivorId: string; survivorName: string; mergedId: string; mergedName: string };
  /** Someone for the admin to erase. */
  erasable: { id: string; displayName: string };
  /** A customer support reads while a service is down. */
  partial: { id: string; displayName: string };
  /** Accounts of the OpenID provider (any password). */
  oidcAccounts: { marketing: string; clerk: string };
}

export function e2eGraph(): E2eGraph {
  const text = process.env.E2E_GRAPH;
  if (!text) throw new Error('E2E_GRAPH is not set: run the browser tests with `npm run test:e2e` (playwright.config.ts starts the graph)');
  return JSON.parse(text) as E2eGraph;
}
