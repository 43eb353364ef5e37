import type { EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import type { SigningKeys } from './keys/signing-keys';

export const IDENTITY_EVENT_STORE = Symbol('IDENTITY_EVENT_STORE');
export const IDENTITY_READ_STORE = Symbol('IDENTITY_READ_STORE');
export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');

export interface IdentityOptions {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  readonly signingKeys: SigningKeys;
  /** When set, creating an enterprise needs `X-Operator-Secret` with this value. */
  readonly operatorSecret?: string;
  /** Lifetime of access tokens. Default 900 s. */
  readonly accessTokenTtlSeconds?: number;
  /** 32-byte master key wrapping each enterprise's data key (ORG-10 account binding credentials). */
  readonly masterKey: Buffer;
}
