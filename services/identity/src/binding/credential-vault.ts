import { Inject, Injectable } from '@nestjs/common';
import { handleCommand, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { IDENTITY_EVENT_STORE, IDENTITY_OPTIONS, type IdentityOptions } from '../identity.tokens';
import { credentialsAad, generateDataKey, open, seal, unwrapDataKey, wrapDataKey } from './crypto/envelope';
import { KEYRING_CATEGORY, keyringDecider } from './domain/keyring';
import type { SealedCredentials } from './domain/binding.events';

export type Credentials = Readonly<Record<string, string>>;

export function keyringStreamId(enterpriseId: string): string {
  return streamIdOf(KEYRING_CATEGORY, enterpriseId);
}

/**
 * Envelope encryption of account-binding credentials (ORG-10): each enterprise has its own random
 * data key, stored only wrapped by the master key on its keyring stream; credentials are sealed
 * with the data key and authenticated with enterprise id + binding id.
 */
@Injectable()
export class CredentialVault {
  private readonly masterKey: Buffer;

  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_OPTIONS) options: IdentityOptions,
  ) {
    this.masterKey = options.masterKey;
  }

  /** The enterprise's current data key, created (once, race-safe) on first use. */
  private async currentDataKey(enterpriseId: string): Promise<{ key: Buffer; keyVersion: number }> {
    const streamId = keyringStreamId(enterpriseId);
    let { state } = await loadState(this.store, streamId, keyringDecider);
    if (state.current === null) {
      const candidate = generateDataKey();
      const wrappedKey = wrapDataKey(this.masterKey, candidate, enterpriseId, 1);
      candidate.fill(0);
      const result = await handleCommand(this.store, streamId, keyringDecider, { kind: 'EnsureDataKey', enterpriseId, wrappedKey, now: new Date().toISOString() }, {
        tenantId: enterpriseId,
        correlationId: `keyring-${enterpriseId}`,
        causationId: null,
        actor: 'system:identity',
      });
      state = result.state;
    }
    const current = state.current;
    if (current === null) throw new Error(`enterprise ${enterpriseId} has no data key`);
    return { key: unwrapDataKey(this.masterKey, current.wrappedKey, enterpriseId, current.keyVersion), keyVersion: current.keyVersion };
  }

  async encrypt(enterpriseId: string, bindingId: string, credentials: Credentials): Promise<SealedCredentials> {
    const { key, keyVersion } = await this.currentDataKey(enterpriseId);
    try {
      const plaintext = Buffer.from(JSON.stringify(credentials), 'utf8');
      const sealed = seal(key, plaintext, credentialsAad(enterpriseId, bindingId));
      plaintext.fill(0);
      return { ...sealed, keyVersion };
    } finally {
      key.fill(0);
    }
  }

  /** For the features that use a bound account (LEAD-10 reach-out); no API returns the result. */
  async decrypt(enterpriseId: string, bindingId: string, sealed: SealedCredentials): Promise<Credentials> {
    const { state } = await loadState(this.store, keyringStreamId(enterpriseId), keyringDecider);
    const wrapped = state.versions.get(sealed.keyVersion);
    if (!wrapped) throw new Error(`enterprise ${enterpriseId} has no data key version ${sealed.keyVersion}`);
    const key = unwrapDataKey(this.masterKey, wrapped, enterpriseId, sealed.keyVersion);
    try {
      return JSON.parse(open(key, sealed, credentialsAad(enterpriseId, bindingId)).toString('utf8')) as Credentials;
    } finally {
      key.fill(0);
    }
  }
}
