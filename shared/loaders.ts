import DataLoader from 'dataloader';

/** Orders batch results by the requested keys; a missing key gets `null`. */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): Array<V | null> {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups batch results by the requested keys; a key without rows gets `[]`. */
export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key)!);
}

/**
 * Per-request loaders whose batch also depends on field arguments (a page size, a filter): one
 * DataLoader per distinct argument set, made on first use.
 */
export class LoaderFamily<A, K, V> {
  private readonly loaders = new Map<string, DataLoader<K, V>>();

  constructor(private readonly batch: (args: A, keys: readonly K[]) => Promise<V[]>) {}

  load(args: A, key: K): Promise<V> {
    const argsKey = JSON.stringify(args ?? null);
    let loader = this.loaders.get(argsKey);
    if (!loader) this.loaders.set(argsKey, (loader = new DataLoader<K, V>((keys) => this.batch(args, keys))));
    return loader.load(key);
  }
}
