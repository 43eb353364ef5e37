import type { DomainEvent } from './event';

/**
 * A decider is the pure heart of an aggregate: `decide` turns a command and the current state
 * into new events (or throws a DomainError); `evolve` folds an event into the state.
 */
export interface Decider<TCommand, TEvent extends DomainEvent, TState> {
  initialState(): TState;
  evolve(state: TState, event: TEvent): TState;
  decide(command: TCommand, state: TState): readonly TEvent[];
}

export function fold<TEvent extends DomainEvent, TState>(
  decider: Pick<Decider<unknown, TEvent, TState>, 'initialState' | 'evolve'>,
  events: readonly TEvent[],
): TState {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState());
}

/** Exhaustiveness check for discriminated unions in `evolve`/`decide`. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden' | 'unauthorized' | 'unprocessable';

/** A rule of the domain was broken. The HTTP edge maps `kind` to a status code. */
export class DomainError extends Error {
  override readonly name: string = 'DomainError';
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable code, e.g. `leads.contact-required`. */
    readonly code: string,
    message: string,
    /** Field-level details: `{ field: reason }`. */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}
