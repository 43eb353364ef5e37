import type { RecordedEvent, Subscription, SubscriptionHandler } from '@leadstream/event-sourcing';

/**
 * What the loop needs of KurrentDB's `subscribeToAll` result (a Node object-mode Readable that
 * also emits `caughtUp`). Kept structural so that the loop can be tested without a server.
 */
export interface CatchUpSource extends AsyncIterable<unknown> {
  /** Items already received and buffered, not yet read. */
  readonly readableLength: number;
  on(event: 'caughtUp', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  unsubscribe(): Promise<void>;
  destroy(error?: Error): unknown;
}

/** One item of the source: its global position, and the event to deliver (null: skip it, e.g. a system event). */
export interface DecodedItem {
  readonly position: number;
  readonly event: RecordedEvent | null;
}

export interface CatchUpConfig {
  /** Deliver only events strictly after this position. */
  readonly after: number;
  readonly batchSize: number;
  /** Head of the log (for the subscription's categories) now; the fallback for `caughtUp`. */
  headPosition(): Promise<number>;
  /** Opens the server subscription; null when nothing can ever match (it then only waits for stop). */
  open(): Promise<CatchUpSource | null>;
  /** null: not an event at all (e.g. a checkpoint); ignored. */
  decode(item: unknown): DecodedItem | null;
}

const noop = (): void => undefined;

/**
 * Catch-up then live over a KurrentDB subscription to `$all`:
 * - batches: after the first item arrives, whatever is already buffered is taken too, up to
 *   `batchSize`; the next batch is read only after the handler's promise settles (the source
 *   stays paused meanwhile: backpressure down to the gRPC stream);
 * - `caughtUp` resolves once every item received before the server's "caught up" signal has
 *   been handled — or, if the signal never comes (older servers or clients), once an event at or
 *   beyond the head position taken at start has been handled;
 * - `stop()` cancels the server subscription and resolves `done` (after a running handler
 *   finishes); a throwing handler, a server error or the server ending the stream rejects `done`.
 *   There is no automatic reconnection: restart from your checkpoint.
 */
export function runCatchUpSubscription(config: CatchUpConfig, handler: SubscriptionHandler): Subscription {
  const batchSize = Number.isFinite(config.batchSize) ? Math.max(1, Math.floor(config.batchSize)) : 500;
  let stopped = false;
  let source: CatchUpSource | null = null;
  let wakeOnStop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (wakeOnStop = resolve));

  let markCaughtUp!: () => void;
  let failCaughtUp!: (error: unknown) => void;
  const caughtUp = new Promise<void>((resolve, reject) => {
    markCaughtUp = resolve;
    failCaughtUp = reject;
  });
  caughtUp.catch(noop);

  let isCaughtUp = false;
  let received = 0; // items taken from the source
  let processed = 0; // items whose batch has been handled
  let signalAt: number | null = null; // `received` count the server's caught-up signal stands for
  let headTarget: number | null = null;
  let lastPosition = config.after; // of the last item taken (delivered or skipped)
  let processedPosition = config.after;

  const checkCaughtUp = (): void => {
    if (isCaughtUp) return;
    if ((signalAt !== null && processed >= signalAt) || (headTarget !== null && processedPosition >= headTarget)) {
      isCaughtUp = true;
      markCaughtUp();
    }
  };

  const release = async (s: CatchUpSource): Promise<void> => {
    s.destroy();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      s.unsubscribe().catch(noop),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 5_000);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  };

  const loop = async (): Promise<void> => {
    const head = await config.headPosition();
    if (stopped) return;
    headTarget = head;
    checkCaughtUp();

    const opened = await config.open();
    if (opened === null) {
      isCaughtUp = true;
      markCaughtUp();
      await stopSignal;
      return;
    }
    const s = opened;
    source = s;
    // Errors reach the iterator; this listener only keeps late ones (after the iterator is gone)
    // from crashing the process as unhandled 'error' events.
    s.on('error', noop);
    if (stopped) {
      await release(s);
      return;
    }
    // Everything received before the signal is either taken already or still buffered.
    s.on('caughtUp', () => {
      signalAt ??= received + s.readableLength;
      checkCaughtUp();
    });

    const iterator = s[Symbol.asyncIterator]();
    const next = async (): Promise<IteratorResult<unknown> | null> => {
      try {
        return await iterator.next();
      } catch (error) {
        if (stopped) return null;
        throw error;
      }
    };
    try {
      while (!stopped) {
        const first = await next();
        if (first === null || stopped) break;
        if (first.done) throw new Error('KurrentDB ended the subscription to $all');
        received++;
        const batch: unknown[] = [first.value];
        while (batch.length < batchSize && s.readableLength > 0) {
          const more = await next();
          if (more === null || more.done) break;
          received++;
          batch.push(more.value);
        }
        if (stopped) break;

        const events: RecordedEvent[] = [];
        for (const item of batch) {
          const decoded = config.decode(item);
          // `after` is exclusive (KurrentDB may start at the checkpoint's own event), and
          // positions only grow: anything at or before the last one is a repeat.
          if (decoded === null || decoded.position <= lastPosition) continue;
          lastPosition = decoded.position;
          if (decoded.event !== null) events.push(decoded.event);
        }
        if (events.length > 0) await handler(events);
        processed += batch.length;
        processedPosition = lastPosition;
        checkCaughtUp();
      }
    } finally {
      await release(s);
    }
  };

  const done = loop().then(
    () => markCaughtUp(),
    (error: unknown) => {
      failCaughtUp(error);
      throw error;
    },
  );
  done.catch(noop);

  return {
    caughtUp,
    done,
    async stop() {
      if (!stopped) {
        stopped = true;
        wakeOnStop();
        // Unblocks a pending read; the loop then cancels the server subscription.
        source?.destroy();
      }
      await done.catch(noop);
    },
  };
}
