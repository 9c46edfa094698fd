import 'reflect-metadata';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { MemoryCache } from '../../shared/cache';
import type { Config, SubgraphName } from '../../shared/config';
import { Database } from '../../shared/db/database';
import { ConsumerPaused, type EventBatchHandler } from '../../shared/events/bus';
import { idempotentHandler } from '../../shared/events/consumer';
import type { EventEnvelope } from '../../shared/events/envelope';
import { Outbox } from '../../shared/events/outbox';
import type { RequestContext } from '../../shared/http/service';
import { createLogger } from '../../shared/logger';
import { subgraphEntities, type SubgraphDefinition } from '../../shared/subgraph';

/** Only the definition the worker needs is loaded (and, in development, compiled). */
const DEFINITIONS: Partial<Record<SubgraphName, () => SubgraphDefinition<unknown, RequestContext>>> = {
  recommendations: () => require('../../subgraphs/recommendations/src/definition').recommendationsSubgraph,
  customers: () => require('../../subgraphs/customers/src/definition').customersSubgraph,
};

type Request = { kind: 'handle'; id: number; events: EventEnvelope[] } | { kind: 'close' };
type Reply = { kind: 'ready' } | { kind: 'handled'; id: number; error?: string; paused?: boolean } | { kind: 'closed' } | { kind: 'failed'; error: string };

/**
 * One subgraph's event handling in a worker thread, for a bulk load on the embedded default: the
 * worker opens the subgraph's SQLite file on a connection of its own and handles each batch with the
 * subgraph's own idempotent handler, so that its derived state is built by its event handlers as
 * always, on the other core. The subgraph's consumer in this thread hands batches over (handleWith)
 * and waits for the answer; its database is left alone meanwhile.
 */
export class EventWorker {
  private nextId = 0;
  private readonly waiting = new Map<number, { resolve: () => void; reject: (err: Error) => void }>();
  private closed: (() => void) | undefined;
  /** Set when the thread ended: nothing is sent to it any more, and every wait ends. */
  private exited: Error | undefined;
  private readonly exitListeners: Array<() => void> = [];

  private constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if (reply.kind === 'handled') {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if (reply.error === undefined) waiter?.resolve();
        // A pause stays a pause: the consumer holds the batch back rather than splitting it.
        else waiter?.reject(reply.paused ? new ConsumerPaused(reply.error) : new Error(reply.error));
      } else if (reply.kind === 'closed') {
        this.closed?.();
      }
    });
    worker.on('error', (err) => this.failAll(err));
    worker.on('exit', () => {
      this.exited = new Error('the event worker stopped');
      this.failAll(this.exited);
      this.closed?.();
      for (const listener of this.exitListeners) listener();
    });
  }

  static async start(name: SubgraphName, config: Config): Promise<EventWorker> {
    const file = __filename;
    // Development runs TypeScript through ts-node, which a worker registers for itself.
    const worker = file.endsWith('.ts')
      ? new Worker(`require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true }); require(${JSON.stringify(file)});`, { eval: true, workerData: { name, config } })
      : new Worker(file, { workerData: { name, config } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (reply: Reply) => {
        if (reply.kind === 'ready') resolve();
        if (reply.kind === 'failed') reject(new Error(`the ${name} event worker could not start: ${reply.error}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error(`the ${name} event worker stopped before it was ready`)));
    });
    return new EventWorker(worker);
  }

  /** Handles a batch in the worker (its transaction, its records of handled events); rejects with its error. */
  readonly handle: EventBatchHandler = (events) =>
    new Promise<void>((resolve, reject) => {
      if (this.exited) return reject(this.exited);
      const id = this.nextId++;
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'handle', id, events } satisfies Request);
    });

  /** Calls `listener` if the thread ends (crashes, or is closed). */
  onExit(listener: () => void): void {
    this.exitListeners.push(listener);
  }

  /** Restores the database's settings and closes it, then ends the worker. */
  async close(): Promise<void> {
    if (this.exited) return;
    const closed = new Promise<void>((resolve) => (this.closed = resolve));
    this.worker.postMessage({ kind: 'close' } satisfies Request);
    await closed;
    await this.worker.terminate();
  }

  private failAll(err: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }
}

async function runWorker(port: NonNullable<typeof parentPort>, name: SubgraphName, config: Config): Promise<void> {
  const definition = DEFINITIONS[name]?.();
  if (!definition?.consumes) throw new Error(`${name} has no event handler a worker can run`);
  const logger = createLogger(config, `${name}-events`);
  const db = await Database.open({ service: name, entities: subgraphEntities(definition), migrations: definition.migrations, config, logger });
  const restore = await db.relaxForBulkLoad();
  const domain = definition.createDomain({ config, logger, db, cache: new MemoryCache(), outbox: new Outbox(name) });
  const handler = idempotentHandler(db, definition.consumes.handler(domain), definition.consumes.types);
  port.on('message', (request: Request) => {
    if (request.kind === 'handle') {
      handler(request.events).then(
        () => port.postMessage({ kind: 'handled', id: request.id } satisfies Reply),
        (err: unknown) =>
          port.postMessage({
            kind: 'handled',
            id: request.id,
            error: err instanceof Error ? err.message : String(err),
            paused: err instanceof ConsumerPaused,
          } satisfies Reply),
      );
    } else {
      // Batches are handled one at a time by the consumer that sends them: none is under way now.
      restore()
        .then(() => db.close())
        .finally(() => port.postMessage({ kind: 'closed' } satisfies Reply));
    }
  });
  port.postMessage({ kind: 'ready' } satisfies Reply);
}

if (!isMainThread && parentPort && (workerData as { name?: string } | null)?.name) {
  const { name, config } = workerData as { name: SubgraphName; config: Config };
  const port = parentPort;
  runWorker(port, name, config).catch((err: unknown) => port.postMessage({ kind: 'failed', error: err instanceof Error ? err.stack ?? err.message : String(err) } satisfies Reply));
}
