import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<{ requestId: string }>();

/** Runs `work` with `requestId` as the current request (for logs and per-request statement counts). */
export function runInRequestScope<T>(requestId: string, work: () => T): T {
  return scope.run({ requestId }, work);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}

/** Header that carries the request id from the client through the gateway to every subgraph. */
export const REQUEST_ID_HEADER = 'x-request-id';
