import type { RecordedEvent } from './event';
import type { ReadAllOptions, SubscribeOptions, Subscription, SubscriptionHandler } from './event-store.port';

export interface LogSource {
  readAll(options: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Registers a callback run after each successful append; returns an unregister function. */
  onAppended(listener: () => void): () => void;
}

export interface LogSubscriptionOptions extends SubscribeOptions {
  /**
   * Safety net for appends this process is not told about (another process writing the same
   * file). Live appends in this process wake the subscription at once. Default 1000 ms.
   */
  readonly pollIntervalMs?: number;
}

/**
 * Catch-up-then-live subscription over any log that can be read by position and that signals
 * appends. Used by the in-memory and SQLite adapters (and by the embedded bus).
 */
export function subscribeToLog(source: LogSource, options: LogSubscriptionOptions, handler: SubscriptionHandler): Subscription {
  // A batch size below 1 would read empty batches forever and never deliver anything.
  const batchSize = Math.max(1, Math.floor(options.batchSize ?? 500));
  const pollIntervalMs = options.pollIntervalMs ?? 1000;
  let after = options.after ?? 0;
  let stopped = false;
  let wake: (() => void) | null = null;
  let pending = false;

  const unregister = source.onAppended(() => {
    pending = true;
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  });

  let markCaughtUp!: () => void;
  let failCaughtUp!: (e: unknown) => void;
  const caughtUp = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });
  caughtUp.catch(() => undefined);

  const loop = async (): Promise<void> => {
    let isCaughtUp = false;
    while (!stopped) {
      pending = false;
      const batch = await source.readAll({ after, maxCount: batchSize, categories: options.categories });
      if (stopped) break;
      if (batch.length > 0) {
        await handler(batch);
        after = batch[batch.length - 1]!.position;
        // A full batch means there may be more right now.
        if (batch.length === batchSize) continue;
      }
      if (!isCaughtUp) {
        isCaughtUp = true;
        markCaughtUp();
      }
      if (pending || batch.length > 0) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          wake = null;
          resolve();
        }, pollIntervalMs);
        timer.unref();
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };

  const done = loop().then(
    () => {
      unregister();
      markCaughtUp();
    },
    (error: unknown) => {
      unregister();
      failCaughtUp(error);
      throw error;
    },
  );
  done.catch(() => undefined);

  return {
    caughtUp,
    done,
    async stop() {
      stopped = true;
      if (wake) {
        const w = wake;
        wake = null;
        w();
      }
      await done.catch(() => undefined);
    },
  };
}
