import assert from 'node:assert/strict';
import { Transform, type TransformCallback } from 'node:stream';
import { describe, it } from 'node:test';
import type { RecordedEvent, SubscriptionHandler } from '@leadstream/event-sourcing';
import { runCatchUpSubscription, type CatchUpConfig, type CatchUpSource } from './catch-up-subscription';

/** What the fake server sends: an event (system: not to be delivered) or the caught-up signal. */
type Message = { readonly position: number; readonly system?: boolean } | 'caughtUp';

/**
 * Behaves like the client's Subscription: an object-mode Transform fed with server messages,
 * pushing events and emitting `caughtUp` in order, with `unsubscribe()`.
 */
class FakeSource extends Transform implements CatchUpSource {
  unsubscribed = 0;
  constructor(highWaterMark = 16) {
    super({ objectMode: true, highWaterMark });
  }
  override _transform(message: Message, _encoding: string, next: TransformCallback): void {
    if (message === 'caughtUp') {
      this.emit('caughtUp', {});
      next();
    } else {
      next(null, message);
    }
  }
  send(...messages: Message[]): void {
    for (const m of messages) this.write(m);
  }
  unsubscribe(): Promise<void> {
    this.unsubscribed++;
    return Promise.resolve();
  }
}

function event(position: number): RecordedEvent {
  return {
    id: `id-${position}`,
    type: 'T',
    data: { position },
    metadata: { tenantId: 't', correlationId: 'c' },
    streamId: 'orders-1',
    revision: position,
    position,
    recordedAt: new Date(0).toISOString(),
  };
}

function config(source: FakeSource | null, overrides: Partial<CatchUpConfig> = {}): CatchUpConfig {
  return {
    after: 0,
    batchSize: 500,
    headPosition: () => Promise.resolve(Number.MAX_SAFE_INTEGER), // no fallback unless a test sets one
    open: () => Promise.resolve(source),
    decode: (item) => {
      const m = item as { position: number; system?: boolean };
      return { position: m.position, event: m.system ? null : event(m.position) };
    },
    ...overrides,
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => ({ position: from + i }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`);
    await sleep(2);
  }
}

/** The loop listens for the signal once it has opened the source, as it does right after subscribeToAll. */
const opened = (source: FakeSource) => waitFor(() => source.listenerCount('caughtUp') > 0, 'source opened');

function recorder(delayMs = 0) {
  const batches: number[][] = [];
  let active = 0;
  let maxActive = 0;
  const handler: SubscriptionHandler = async (events) => {
    active++;
    maxActive = Math.max(maxActive, active);
    if (delayMs > 0) await sleep(delayMs);
    batches.push(events.map((e) => e.position));
    active--;
  };
  return { handler, batches, delivered: () => batches.flat(), maxActive: () => maxActive };
}

describe('runCatchUpSubscription', () => {
  it('hands batches of at most batchSize, one at a time, and resolves caughtUp after the pre-signal events', async () => {
    const source = new FakeSource();
    const rec = recorder(3);
    let caughtUpAt = -1;
    const sub = runCatchUpSubscription(config(source, { batchSize: 4 }), rec.handler);
    void sub.caughtUp.then(() => (caughtUpAt = rec.delivered().length));
    await opened(source);
    source.send(...range(1, 10), 'caughtUp');
    await sub.caughtUp;
    assert.equal(caughtUpAt, 10);
    assert.deepEqual(rec.delivered(), range(1, 10).map((e) => e.position));

    // live events keep coming after the signal
    source.send(...range(11, 13));
    await waitFor(() => rec.delivered().length === 13, 'live events');
    assert.equal(rec.maxActive(), 1);
    assert.ok(rec.batches.every((b) => b.length >= 1 && b.length <= 4), JSON.stringify(rec.batches));
    await sub.stop();
    await sub.done;
    assert.equal(source.unsubscribed, 1);
  });

  it('takes what is buffered into one batch, up to batchSize', async () => {
    const source = new FakeSource(100);
    const rec = recorder();
    source.send(...range(1, 30)); // all buffered before the loop reads
    const sub = runCatchUpSubscription(config(source, { batchSize: 7, headPosition: () => Promise.resolve(30) }), rec.handler);
    await sub.caughtUp;
    assert.deepEqual(rec.batches.map((b) => b.length), [7, 7, 7, 7, 2]);
    await sub.stop();
  });

  it('skips events at or before `after`, system events and repeats, yet counts them for caughtUp', async () => {
    const source = new FakeSource();
    const rec = recorder();
    const sub = runCatchUpSubscription(config(source, { after: 3 }), rec.handler);
    await opened(source);
    source.send({ position: 3 }, { position: 4 }, { position: 5, system: true }, { position: 5 }, { position: 6 }, 'caughtUp');
    await sub.caughtUp;
    assert.deepEqual(rec.delivered(), [4, 6]);
    await sub.stop();
  });

  it('without the server signal, resolves caughtUp once the head position taken at start is handled', async () => {
    const source = new FakeSource();
    const rec = recorder(2);
    let resolved = false;
    const sub = runCatchUpSubscription(config(source, { batchSize: 2, headPosition: () => Promise.resolve(5) }), rec.handler);
    void sub.caughtUp.then(() => (resolved = true));
    source.send(...range(1, 4));
    await waitFor(() => rec.delivered().length === 4, 'first events');
    await sleep(10);
    assert.equal(resolved, false);
    source.send({ position: 5 }, { position: 6 });
    await sub.caughtUp;
    assert.ok(rec.delivered().includes(5));
    await sub.stop();
  });

  it('resolves caughtUp at once when the head is not after the checkpoint', async () => {
    const source = new FakeSource();
    const sub = runCatchUpSubscription(config(source, { after: 9, headPosition: () => Promise.resolve(9) }), recorder().handler);
    await sub.caughtUp;
    await sub.stop();
  });

  it('stop() while waiting: done resolves, the server subscription is cancelled, nothing more is delivered', async () => {
    const source = new FakeSource();
    const rec = recorder();
    const sub = runCatchUpSubscription(config(source), rec.handler);
    await opened(source);
    source.send({ position: 1 }, 'caughtUp');
    await sub.caughtUp;
    await sub.stop();
    await sub.done;
    assert.equal(source.unsubscribed, 1);
    assert.ok(source.destroyed);
    assert.deepEqual(rec.delivered(), [1]);
    await sub.stop(); // twice is harmless
  });

  it('stop() during a handler waits for it and takes no further batch', async () => {
    const source = new FakeSource();
    let release!: () => void;
    const calls: number[][] = [];
    const sub = runCatchUpSubscription(config(source, { batchSize: 1 }), async (events) => {
      calls.push(events.map((e) => e.position));
      await new Promise<void>((resolve) => (release = resolve));
    });
    source.send({ position: 1 }, { position: 2 });
    await waitFor(() => calls.length === 1, 'first batch');
    const stopping = sub.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await sleep(10);
    assert.equal(stopped, false);
    release();
    await stopping;
    assert.deepEqual(calls, [[1]]);
  });

  it('a throwing handler rejects done (and caughtUp) and cancels the server subscription', async () => {
    const source = new FakeSource();
    const boom = new Error('handler failed');
    let calls = 0;
    const sub = runCatchUpSubscription(config(source, { batchSize: 1 }), () => {
      calls++;
      return Promise.reject(boom);
    });
    source.send({ position: 1 }, { position: 2 });
    await assert.rejects(sub.done, (e) => e === boom);
    await assert.rejects(sub.caughtUp, (e) => e === boom);
    assert.equal(calls, 1);
    assert.equal(source.unsubscribed, 1);
    await sub.stop();
  });

  it('a server error or the server ending the stream rejects done', async () => {
    const failing = new FakeSource();
    const sub = runCatchUpSubscription(config(failing), recorder().handler);
    await sleep(5);
    failing.destroy(new Error('connection lost'));
    await assert.rejects(sub.done, /connection lost/);

    const ending = new FakeSource();
    const sub2 = runCatchUpSubscription(config(ending), recorder().handler);
    ending.end();
    await assert.rejects(sub2.done, /ended the subscription/);
  });

  it('with nothing to subscribe to (open returns null): caught up at once, done after stop', async () => {
    const sub = runCatchUpSubscription(config(null), recorder().handler);
    await sub.caughtUp;
    let done = false;
    void sub.done.then(() => (done = true));
    await sleep(5);
    assert.equal(done, false);
    await sub.stop();
    await sub.done;
  });

  it('stop() before the source is open cancels it as soon as it opens', async () => {
    const source = new FakeSource();
    let open!: () => void;
    const sub = runCatchUpSubscription(
      config(source, { open: () => new Promise<FakeSource>((resolve) => (open = () => resolve(source))) }),
      recorder().handler,
    );
    await sleep(5);
    const stopping = sub.stop();
    open();
    await stopping;
    assert.equal(source.unsubscribed, 1);
    await sub.caughtUp; // resolved on stop
  });
});
