import { ConsumerPaused, type EventBatchHandler } from '../events/bus';

/**
 * For the buses' tests: a handler that throws ConsumerPaused until `resume()`, and records the keys of
 * the events it handled, in order. `pausedOn` resolves when it first paused.
 */
export function pausingHandler(): { handler: EventBatchHandler; handled: string[]; pausedOn: Promise<void>; resume(): void } {
  const handled: string[] = [];
  let paused = true;
  let pausedOnce!: () => void;
  const pausedOn = new Promise<void>((resolve) => (pausedOnce = resolve));
  return {
    handled,
    pausedOn,
    resume: () => {
      paused = false;
    },
    handler: async (events) => {
      if (paused) {
        pausedOnce();
        throw new ConsumerPaused('maintenance');
      }
      handled.push(...events.map((e) => e.key));
    },
  };
}
