import assert from 'node:assert/strict';
import type { DomainEvent } from '../event';
import type { Decider } from '../decider';

/**
 * Given/when/then for deciders:
 *
 *   deciderSpec(leadDecider).given([created]).when(changeStatus).then([statusChanged]);
 *   deciderSpec(leadDecider).given([]).when(badCommand).thenThrows(DomainError, /contact/);
 */
export function deciderSpec<TCommand, TEvent extends DomainEvent, TState>(decider: Decider<TCommand, TEvent, TState>) {
  return {
    given(events: readonly TEvent[]) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState());
      return {
        when(command: TCommand) {
          const run = () => decider.decide(command, state);
          return {
            then(expected: readonly TEvent[]): readonly TEvent[] {
              const actual = run();
              assert.deepStrictEqual(actual, expected);
              return actual;
            },
            /** Runs `check` on the produced events, for events with generated values. */
            thenMatches(check: (events: readonly TEvent[]) => void): readonly TEvent[] {
              const actual = run();
              check(actual);
              return actual;
            },
            thenThrows(errorClass: new (...args: never[]) => Error, message?: RegExp, check?: (error: Error) => void): void {
              assert.throws(run, (error: unknown) => {
                assert.ok(error instanceof errorClass, `expected ${errorClass.name}, got ${String(error)}`);
                if (message) assert.match(error.message, message);
                check?.(error);
                return true;
              });
            },
            thenNothing(): void {
              assert.deepStrictEqual(run(), []);
            },
          };
        },
      };
    },
  };
}
