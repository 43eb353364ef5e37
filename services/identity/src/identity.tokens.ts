import type { EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import type { SigningKeys } from './keys/signing-keys';
import type { LoginThrottleOptions } from './auth/throttle/login-throttle';

export const IDENTITY_EVENT_STORE = Symbol('IDENTITY_EVENT_STORE');
export const IDENTITY_READ_STORE = Symbol('IDENTITY_READ_STORE');
export const IDENTITY_OPTIONS = Symbol('IDENTITY_OPTIONS');
/** The process's LoginThrottle (ORG-3 brute-force slowing). */
export const LOGIN_THROTTLE = Symbol('LOGIN_THROTTLE');

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
  /**
   * Sign-in lockout policies (ORG-3). Defaults: per account 5 failures in 15 min → locked 30 s,
   * doubling up to 15 min; per source IP the same from 30 failures. In memory, per process.
   */
  readonly loginLockout?: LoginThrottleOptions;
}
