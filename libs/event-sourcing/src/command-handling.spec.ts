import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConcurrencyRetriesExhaustedError, handleCommand, loadState } from './command-handling';
import { DomainError, type Decider } from './decider';
import type { DomainEvent, EventMetadata } from './event';
import { WrongExpectedRevisionError } from './event-store.port';
import { InMemoryEventStore } from './in-memory-event-store';
import { deciderSpec } from './testing/decider-spec';

// A small account aggregate.
type AccountCommand =
  | { readonly type: 'Open'; readonly owner: string }
  | { readonly type: 'Deposit'; readonly amount: number }
  | { readonly type: 'Withdraw'; readonly amount: number }
  | { readonly type: 'Touch' };
type AccountEvent =
  | DomainEvent<'accounts.AccountOpened', { owner: string }>
  | DomainEvent<'accounts.MoneyDeposited', { amount: number }>
  | DomainEvent<'accounts.MoneyWithdrawn', { amount: number }>;
interface AccountState {
  readonly open: boolean;
  readonly owner: string | null;
  readonly balance: number;
}

const account: Decider<AccountCommand, AccountEvent, AccountState> = {
  initialState: () => ({ open: false, owner: null, balance: 0 }),
  evolve(state, event) {
    switch (event.type) {
      case 'accounts.AccountOpened':
        return { ...state, open: true, owner: event.data.owner };
      case 'accounts.MoneyDeposited':
        return { ...state, balance: state.balance + event.data.amount };
      case 'accounts.MoneyWithdrawn':
        return { ...state, balance: state.balance - event.data.amount };
    }
  },
  decide(command, state) {
    switch (command.type) {
      case 'Open':
        if (state.open) throw new DomainError('conflict', 'accounts.already-open', 'account already open');
        return [{ type: 'accounts.AccountOpened', data: { owner: command.owner } }];
      case 'Deposit':
        if (!state.open) throw new DomainError('not_found', 'accounts.not-found', 'no such account');
        if (command.amount <= 0) throw new DomainError('invalid', 'accounts.amount', 'amount must be positive', { amount: 'positive' });
        return [{ type: 'accounts.MoneyDeposited', data: { amount: command.amount } }];
      case 'Withdraw':
        if (!state.open) throw new DomainError('not_found', 'accounts.not-found', 'no such account');
        if (command.amount > state.balance) throw new DomainError('unprocessable', 'accounts.insufficient', 'insufficient funds');
        return [{ type: 'accounts.MoneyWithdrawn', data: { amount: command.amount } }];
      case 'Touch':
        return [];
    }
  },
};

const metadata: EventMetadata = { tenantId: 'tenant-1', correlationId: 'corr-1', causationId: 'cmd-1', actor: 'member-1' };
const opened: AccountEvent = { type: 'accounts.AccountOpened', data: { owner: 'ada' } };
const deposited = (amount: number): AccountEvent => ({ type: 'accounts.MoneyDeposited', data: { amount } });

/** Wraps a decider so that a test can count `decide` calls and act while a command is being decided. */
function instrumented(onDecide: (call: number) => void = () => undefined) {
  const calls = { count: 0 };
  const decider: Decider<AccountCommand, AccountEvent, AccountState> = {
    ...account,
    decide(command, state) {
      calls.count++;
      onDecide(calls.count);
      return account.decide(command, state);
    },
  };
  return { decider, calls };
}

describe('handleCommand', () => {
  it('creates a stream (no_stream) and reports state, revision and position', async () => {
    const store = new InMemoryEventStore();
    const result = await handleCommand(store, 'accounts-1', account, { type: 'Open', owner: 'ada' }, metadata);
    assert.deepEqual(result.newEvents, [opened]);
    assert.deepEqual(result.state, { open: true, owner: 'ada', balance: 0 });
    assert.equal(result.streamId, 'accounts-1');
    assert.equal(result.revision, 0);
    assert.equal(result.position, await store.headPosition());
    const [event] = await store.readStream('accounts-1');
    assert.equal(event!.type, 'accounts.AccountOpened');
    assert.deepEqual(event!.metadata, metadata);
  });

  it('appends to an existing stream with its current revision', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, 'accounts-1', account, { type: 'Open', owner: 'ada' }, metadata);
    await handleCommand(store, 'accounts-1', account, { type: 'Deposit', amount: 10 }, metadata);
    const result = await handleCommand(store, 'accounts-1', account, { type: 'Withdraw', amount: 4 }, metadata);
    assert.equal(result.revision, 2);
    assert.equal(result.state.balance, 6);
    assert.deepEqual((await store.readStream('accounts-1')).map((e) => e.revision), [0, 1, 2]);
  });

  it('retries after a conflict with a racing writer, appending on top of the racer', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('accounts-1', [{ ...opened, metadata }]);
    // A racing writer lands a deposit after our command has read the stream and before it appends.
    const { decider, calls } = instrumented((call) => {
      if (call === 1) void store.appendToStream('accounts-1', [{ ...deposited(100), metadata }], { expectedRevision: 0 });
    });
    const result = await handleCommand(store, 'accounts-1', decider, { type: 'Deposit', amount: 5 }, metadata);
    assert.equal(calls.count, 2);
    assert.equal(result.revision, 2);
    assert.equal(result.state.balance, 105);
    assert.deepEqual(result.newEvents, [deposited(5)]);
    const events = await store.readStream('accounts-1');
    assert.deepEqual(events.map((e) => (e.data as { amount?: number }).amount ?? null), [null, 100, 5]);
    assert.equal(result.position, events[2]!.position);
  });

  it('decides again on the fresh state after a conflict', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('accounts-1', [opened, deposited(80)].map((e) => ({ ...e, metadata })));
    // Withdrawing 60 of 80 is fine, until a racer withdraws 30 in between: the retry must refuse.
    const { decider, calls } = instrumented((call) => {
      if (call === 1) {
        void store.appendToStream('accounts-1', [{ type: 'accounts.MoneyWithdrawn', data: { amount: 30 }, metadata }], {
          expectedRevision: 1,
        });
      }
    });
    await assert.rejects(
      handleCommand(store, 'accounts-1', decider, { type: 'Withdraw', amount: 60 }, metadata),
      (error: unknown) => error instanceof DomainError && error.code === 'accounts.insufficient',
    );
    assert.equal(calls.count, 2);
    const { state, revision } = await loadState(store, 'accounts-1', account);
    assert.equal(revision, 2);
    assert.equal(state.balance, 50);
  });

  it('lets concurrent commands on one stream all succeed through retries', async () => {
    const store = new InMemoryEventStore();
    await handleCommand(store, 'accounts-1', account, { type: 'Open', owner: 'ada' }, metadata);
    // Each conflict of a writer is caused by another writer's success, so with 8 writers nobody
    // needs more than 7 retries.
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        handleCommand(store, 'accounts-1', account, { type: 'Deposit', amount: i + 1 }, metadata, { maxRetries: 7 }),
      ),
    );
    assert.deepEqual(results.map((r) => r.revision).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8]);
    const { state, revision } = await loadState(store, 'accounts-1', account);
    assert.equal(revision, 8);
    assert.equal(state.balance, 36);
  });

  it('gives up with ConcurrencyRetriesExhaustedError when the conflict persists', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('accounts-1', [{ ...opened, metadata }]);
    // A writer that always gets in between read and append.
    const { decider, calls } = instrumented(() => {
      void store.appendToStream('accounts-1', [{ ...deposited(1), metadata }]);
    });
    await assert.rejects(
      handleCommand(store, 'accounts-1', decider, { type: 'Deposit', amount: 5 }, metadata, { maxRetries: 2 }),
      (error: unknown) => {
        assert.ok(error instanceof ConcurrencyRetriesExhaustedError);
        assert.equal(error.name, 'ConcurrencyRetriesExhaustedError');
        assert.equal(error.streamId, 'accounts-1');
        assert.equal(error.attempts, 3);
        assert.match(error.message, /accounts-1/);
        return true;
      },
    );
    assert.equal(calls.count, 3);
    // only the racer's events were written
    const events = await store.readStream('accounts-1');
    assert.deepEqual(events.map((e) => (e.data as { amount?: number }).amount ?? null), [null, 1, 1, 1]);
  });

  it('uses 5 retries by default', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('accounts-1', [{ ...opened, metadata }]);
    const { decider, calls } = instrumented(() => {
      void store.appendToStream('accounts-1', [{ ...deposited(1), metadata }]);
    });
    await assert.rejects(
      handleCommand(store, 'accounts-1', decider, { type: 'Deposit', amount: 5 }, metadata),
      (error: unknown) => error instanceof ConcurrencyRetriesExhaustedError && error.attempts === 6,
    );
    assert.equal(calls.count, 6);
  });

  it('appends nothing when decide returns no events', async () => {
    const store = new InMemoryEventStore();
    const missing = await handleCommand(store, 'accounts-1', account, { type: 'Touch' }, metadata);
    assert.deepEqual(missing, { streamId: 'accounts-1', newEvents: [], state: account.initialState(), revision: -1, position: null });
    assert.deepEqual(await store.readStream('accounts-1'), []);
    assert.equal(await store.headPosition(), 0);

    await handleCommand(store, 'accounts-1', account, { type: 'Open', owner: 'ada' }, metadata);
    await handleCommand(store, 'accounts-1', account, { type: 'Deposit', amount: 3 }, metadata);
    const head = await store.headPosition();
    const existing = await handleCommand(store, 'accounts-1', account, { type: 'Touch' }, metadata);
    assert.deepEqual(existing.newEvents, []);
    assert.equal(existing.position, null);
    assert.equal(existing.revision, 1);
    assert.deepEqual(existing.state, { open: true, owner: 'ada', balance: 3 });
    assert.equal(await store.headPosition(), head);
    assert.equal((await store.readStream('accounts-1')).length, 2);
  });

  it('does not retry domain errors and appends nothing', async () => {
    const store = new InMemoryEventStore();
    const { decider, calls } = instrumented();
    await assert.rejects(
      handleCommand(store, 'accounts-1', decider, { type: 'Deposit', amount: 5 }, metadata),
      (error: unknown) => error instanceof DomainError && error.code === 'accounts.not-found' && error.kind === 'not_found',
    );
    assert.equal(calls.count, 1);
    assert.deepEqual(await store.readStream('accounts-1'), []);
  });

  it('does not retry store errors other than a revision conflict', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('accounts-1', [{ ...opened, metadata }]);
    let calls = 0;
    // data that cannot be stored (a function is not serialisable) makes the store itself fail
    const broken: Decider<AccountCommand, DomainEvent, AccountState> = {
      initialState: () => account.initialState(),
      evolve: (state) => state,
      decide: () => {
        calls++;
        return [{ type: 'accounts.Broken', data: { fn: () => 1 } }];
      },
    };
    await assert.rejects(handleCommand(store, 'accounts-1', broken, { type: 'Touch' }, metadata), (error: unknown) => {
      assert.ok(!(error instanceof WrongExpectedRevisionError));
      assert.ok(!(error instanceof ConcurrencyRetriesExhaustedError));
      return true;
    });
    assert.equal(calls, 1);
    assert.equal((await store.readStream('accounts-1')).length, 1);
  });

  it('keeps the given event ids', async () => {
    const store = new InMemoryEventStore();
    const id = '6f1b1e3c-9f3e-4c4b-8d43-1b2a3c4d5e6f';
    await handleCommand(store, 'accounts-1', account, { type: 'Open', owner: 'ada' }, metadata, { eventIds: [id] });
    const [event] = await store.readStream('accounts-1');
    assert.equal(event!.id, id);
  });
});

describe('loadState', () => {
  it('folds the stream and reports its revision (-1 when missing)', async () => {
    const store = new InMemoryEventStore();
    assert.deepEqual(await loadState(store, 'accounts-1', account), { state: account.initialState(), revision: -1, events: [] });
    await store.appendToStream('accounts-1', [opened, deposited(7), deposited(5)].map((e) => ({ ...e, metadata })));
    const { state, revision, events } = await loadState(store, 'accounts-1', account);
    assert.deepEqual(state, { open: true, owner: 'ada', balance: 12 });
    assert.equal(revision, 2);
    assert.equal(events.length, 3);
  });
});

describe('deciderSpec', () => {
  it('then: passes when decide produces exactly the expected events, fails otherwise', () => {
    const events = deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: 5 }).then([deposited(5)]);
    assert.deepEqual(events, [deposited(5)]);
    assert.throws(
      () => deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: 5 }).then([deposited(6)]),
      assert.AssertionError,
    );
    assert.throws(
      () => deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: 5 }).then([deposited(5), deposited(5)]),
      assert.AssertionError,
    );
  });

  it('given: folds the events into the state the command is decided on', () => {
    deciderSpec(account).given([opened, deposited(10), deposited(5)]).when({ type: 'Withdraw', amount: 15 }).then([
      { type: 'accounts.MoneyWithdrawn', data: { amount: 15 } },
    ]);
    deciderSpec(account)
      .given([opened, deposited(10)])
      .when({ type: 'Withdraw', amount: 15 })
      .thenThrows(DomainError, /insufficient/);
  });

  it('then: a decide that throws makes the spec fail with that error', () => {
    assert.throws(() => deciderSpec(account).given([]).when({ type: 'Deposit', amount: 5 }).then([]), DomainError);
  });

  it('thenThrows: checks the error class, the message and a custom check', () => {
    let checked: Error | null = null;
    deciderSpec(account)
      .given([opened])
      .when({ type: 'Deposit', amount: -1 })
      .thenThrows(DomainError, /positive/, (error) => {
        checked = error;
        assert.equal((error as DomainError).kind, 'invalid');
        assert.deepEqual((error as DomainError).fields, { amount: 'positive' });
      });
    assert.ok(checked !== null);
    // nothing thrown
    assert.throws(
      () => deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: 1 }).thenThrows(DomainError),
      assert.AssertionError,
    );
    // wrong class
    assert.throws(
      () => deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: -1 }).thenThrows(TypeError),
      assert.AssertionError,
    );
    // wrong message
    assert.throws(
      () => deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: -1 }).thenThrows(DomainError, /overdrawn/),
      assert.AssertionError,
    );
    // failing custom check
    assert.throws(
      () =>
        deciderSpec(account)
          .given([opened])
          .when({ type: 'Deposit', amount: -1 })
          .thenThrows(DomainError, undefined, (error) => assert.equal((error as DomainError).kind, 'conflict')),
      assert.AssertionError,
    );
  });

  it('thenNothing: passes only when decide produces no events', () => {
    deciderSpec(account).given([opened]).when({ type: 'Touch' }).thenNothing();
    assert.throws(() => deciderSpec(account).given([opened]).when({ type: 'Deposit', amount: 1 }).thenNothing(), assert.AssertionError);
  });

  it('thenMatches: hands the produced events to the check', () => {
    const seen: unknown[] = [];
    const events = deciderSpec(account)
      .given([])
      .when({ type: 'Open', owner: 'grace' })
      .thenMatches((e) => seen.push(...e));
    assert.deepEqual(seen, [{ type: 'accounts.AccountOpened', data: { owner: 'grace' } }]);
    assert.deepEqual(events, seen);
    assert.throws(
      () =>
        deciderSpec(account)
          .given([])
          .when({ type: 'Open', owner: 'grace' })
          .thenMatches((e) => assert.equal(e.length, 2)),
      assert.AssertionError,
    );
  });
});
