import { randomUUID } from 'node:crypto';
import { graphql } from '../../shared/testkit';
import type { DemoLocation } from '../../scripts/seed/demo-data';
import { startTestGraph, type TestGraph } from './graph';

/** A value unique to one test, so tests never see each other's rows. */
export const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** An operation's response, its data as loosely typed as `query` gives it. */
export const looseGraphql = (url: string, document: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  graphql<Record<string, any>>(url, document, variables, headers);

/** The small demo graph the hostile suites attack, with the seed's events handled. */
export async function startSettledGraph(): Promise<TestGraph> {
  const graph = await startTestGraph({ scale: 0.01 });
  await graph.settle();
  return graph;
}

/** The demo graph's stores and its first warehouse. */
export function locationsOf(graph: TestGraph): { stores: DemoLocation[]; warehouse: DemoLocation } {
  return {
    stores: graph.data.locations.filter((l) => l.type === 'STORE'),
    warehouse: graph.data.locations.find((l) => l.type === 'WAREHOUSE')!,
  };
}

/**
 * A style of its own with `variants` SKUs (`<code>-0`, `<code>-1`, ...) at a price, created in the
 * inventory domain, and `stock` units of each received at each of `stockedAt`.
 */
export async function freshStyle(
  graph: TestGraph,
  options: { prefix: string; variants?: number; price?: number; stock?: number; stockedAt?: string[] },
): Promise<{ productId: string; variants: Array<{ id: string; sku: string }> }> {
  const code = unique(options.prefix);
  const { products, stock } = graph.subgraphs.inventory.domain;
  const [product] = await products.createProducts([
    {
      code,
      name: code,
      brand: 'Test',
      category: 'Test',
      price: options.price ?? 3300,
      releasedAt: new Date(),
      soldOnline: true,
      variants: Array.from({ length: options.variants ?? 1 }, (_, i) => ({ sku: `${code}-${i}`, color: 'Navy', size: String(i) })),
    },
  ]);
  const variants = await products.variantsByProductIds([product.id]);
  const quantity = options.stock ?? 0;
  if (quantity && options.stockedAt?.length) {
    await stock.receive(
      options.stockedAt.map((locationId) => ({
        locationId,
        lines: variants.map((v) => ({ variantId: v.id, productId: product.id, quantity })),
        reference: 'hostile',
        actor: 'test',
      })),
    );
  }
  return { productId: product.id, variants: variants.map((v) => ({ id: v.id, sku: v.sku })) };
}
