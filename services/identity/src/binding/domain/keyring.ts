import type { Decider, DomainEvent } from '@leadstream/event-sourcing';
import type { Sealed } from './sealed';

/**
 * One keyring stream per enterprise (`identity.keyring-<enterpriseId>`) holds its data keys,
 * wrapped with the master key: never the key itself. Not published (not in identity's
 * published categories).
 */
export const KEYRING_CATEGORY = 'identity.keyring';

export type DataKeyCreated = DomainEvent<
  'identity.DataKeyCreated',
  {
    readonly enterpriseId: string;
    readonly keyVersion: number;
    /** The data key encrypted with the master key (AES-256-GCM, AAD = enterprise id + version). */
    readonly wrappedKey: Sealed;
    readonly createdAt: string;
  }
>;

export type KeyringEvent = DataKeyCreated;

export interface KeyringState {
  /** The newest data key, or null before the first. */
  readonly current: { readonly keyVersion: number; readonly wrappedKey: Sealed } | null;
  readonly versions: ReadonlyMap<number, Sealed>;
}

/** Creates the first data key, unless another request created it first (then nothing). */
export interface EnsureDataKey {
  readonly kind: 'EnsureDataKey';
  readonly enterpriseId: string;
  /** A candidate key, wrapped for version 1; used only when the keyring is empty. */
  readonly wrappedKey: Sealed;
  readonly now: string;
}

export type KeyringCommand = EnsureDataKey;

export const keyringDecider: Decider<KeyringCommand, KeyringEvent, KeyringState> = {
  initialState: () => ({ current: null, versions: new Map() }),
  evolve(state, event) {
    const versions = new Map(state.versions);
    versions.set(event.data.keyVersion, event.data.wrappedKey);
    return { current: { keyVersion: event.data.keyVersion, wrappedKey: event.data.wrappedKey }, versions };
  },
  decide(command, state) {
    if (state.current !== null) return [];
    return [{ type: 'identity.DataKeyCreated', data: { enterpriseId: command.enterpriseId, keyVersion: 1, wrappedKey: command.wrappedKey, createdAt: command.now } }];
  },
};
