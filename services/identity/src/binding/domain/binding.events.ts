import type { DomainEvent } from '@leadstream/event-sourcing';
import type { Sealed } from './sealed';

/** One stream per account binding (`identity.binding-<bindingId>`), ORG-10. */
export const BINDING_CATEGORY = 'identity.binding';

/** The external platforms an enterprise can bind (账号绑定). */
export const BINDING_KINDS = ['ads', 'wechat-official-account', 'live-streaming', 'email', 'sms', 'xiumi', 'wechat-mini-program', 'wecom'] as const;
export type BindingKind = (typeof BINDING_KINDS)[number];

/**
 * The credentials as stored: AES-256-GCM ciphertext of their JSON under the enterprise's data key
 * `keyVersion`, authenticated with the enterprise id and binding id. Never the plaintext.
 */
export interface SealedCredentials extends Sealed {
  readonly keyVersion: number;
}

export type AccountBound = DomainEvent<
  'identity.AccountBound',
  {
    readonly enterpriseId: string;
    readonly bindingId: string;
    readonly kind: BindingKind;
    readonly accountId: string;
    readonly displayName: string | null;
    /** Names of the credential fields that are set (not their values). */
    readonly credentialFields: readonly string[];
    readonly credentials: SealedCredentials;
    readonly boundBy: string;
    readonly boundAt: string;
  }
>;

export type AccountRebound = DomainEvent<
  'identity.AccountRebound',
  {
    readonly enterpriseId: string;
    readonly bindingId: string;
    readonly kind: BindingKind;
    readonly accountId: string;
    readonly displayName: string | null;
    readonly credentialFields: readonly string[];
    readonly credentials: SealedCredentials;
    readonly reboundBy: string;
    readonly reboundAt: string;
  }
>;

export type AccountUnbound = DomainEvent<
  'identity.AccountUnbound',
  {
    readonly enterpriseId: string;
    readonly bindingId: string;
    readonly kind: BindingKind;
    readonly accountId: string;
    readonly unboundBy: string;
    readonly unboundAt: string;
  }
>;

export type BindingEvent = AccountBound | AccountRebound | AccountUnbound;
