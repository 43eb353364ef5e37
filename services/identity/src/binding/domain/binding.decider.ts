import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { BindingEvent, BindingKind, SealedCredentials } from './binding.events';

export const MAX_ACCOUNT_ID_LENGTH = 200;
export const MAX_DISPLAY_NAME_LENGTH = 100;

export interface BindingState {
  readonly status: 'none' | 'bound' | 'unbound';
  readonly enterpriseId: string | null;
  readonly kind: BindingKind | null;
  readonly accountId: string | null;
  readonly displayName: string | null;
}

interface Base {
  readonly enterpriseId: string;
  readonly bindingId: string;
  readonly actor: string;
  readonly now: string;
}

export interface BindAccount extends Base {
  readonly kind: 'BindAccount';
  readonly platform: BindingKind;
  readonly accountId: string;
  readonly displayName: string | null;
  readonly credentialFields: readonly string[];
  /** Already encrypted by the handler: the decider never sees plaintext. */
  readonly credentials: SealedCredentials;
}

export interface RebindAccount extends Base {
  readonly kind: 'RebindAccount';
  /** undefined: unchanged. */
  readonly accountId?: string;
  /** undefined: unchanged; null: cleared. */
  readonly displayName?: string | null;
  readonly credentialFields: readonly string[];
  readonly credentials: SealedCredentials;
}

export interface UnbindAccount extends Base {
  readonly kind: 'UnbindAccount';
}

export type BindingCommand = BindAccount | RebindAccount | UnbindAccount;

function notFound(bindingId: string): DomainError {
  return new DomainError('not_found', 'identity.account-binding-not-found', `Account binding ${bindingId} was not found.`);
}

/** ORG-10: an account binding's life: bound → rebound (any number of times) → unbound (final). */
export const bindingDecider: Decider<BindingCommand, BindingEvent, BindingState> = {
  initialState: () => ({ status: 'none', enterpriseId: null, kind: null, accountId: null, displayName: null }),

  evolve(state, event) {
    switch (event.type) {
      case 'identity.AccountBound':
      case 'identity.AccountRebound':
        return { status: 'bound', enterpriseId: event.data.enterpriseId, kind: event.data.kind, accountId: event.data.accountId, displayName: event.data.displayName };
      case 'identity.AccountUnbound':
        return { ...state, status: 'unbound' };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'BindAccount': {
        if (state.status !== 'none') throw new DomainError('conflict', 'identity.account-binding-exists', `Account binding ${command.bindingId} already exists.`);
        return [
          {
            type: 'identity.AccountBound',
            data: {
              enterpriseId: command.enterpriseId,
              bindingId: command.bindingId,
              kind: command.platform,
              accountId: command.accountId,
              displayName: command.displayName,
              credentialFields: [...command.credentialFields],
              credentials: command.credentials,
              boundBy: command.actor,
              boundAt: command.now,
            },
          },
        ];
      }
      case 'RebindAccount': {
        // another tenant's binding, an unbound one and an unknown id all look the same
        if (state.status !== 'bound' || state.enterpriseId !== command.enterpriseId || state.kind === null || state.accountId === null) throw notFound(command.bindingId);
        return [
          {
            type: 'identity.AccountRebound',
            data: {
              enterpriseId: command.enterpriseId,
              bindingId: command.bindingId,
              kind: state.kind,
              accountId: command.accountId ?? state.accountId,
              displayName: command.displayName === undefined ? state.displayName : command.displayName,
              credentialFields: [...command.credentialFields],
              credentials: command.credentials,
              reboundBy: command.actor,
              reboundAt: command.now,
            },
          },
        ];
      }
      case 'UnbindAccount': {
        if (state.status !== 'bound' || state.enterpriseId !== command.enterpriseId || state.kind === null || state.accountId === null) throw notFound(command.bindingId);
        return [
          {
            type: 'identity.AccountUnbound',
            data: { enterpriseId: command.enterpriseId, bindingId: command.bindingId, kind: state.kind, accountId: state.accountId, unboundBy: command.actor, unboundAt: command.now },
          },
        ];
      }
      default:
        return assertNever(command);
    }
  },
};
