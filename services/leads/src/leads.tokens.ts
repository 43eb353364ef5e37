import type { MessageBus } from '@leadstream/bus';
import type { EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import type { LeadKeyStore } from './lead-crypto/lead-key-store.port';

export const LEADS_EVENT_STORE = Symbol('LEADS_EVENT_STORE');
export const LEADS_READ_STORE = Symbol('LEADS_READ_STORE');
export const LEADS_OPTIONS = Symbol('LEADS_OPTIONS');
export const LEADS_KEY_STORE = Symbol('LEADS_KEY_STORE');

export interface LeadsOptions {
  /** The service's event log as stored (personal data sealed); the module reads and writes it through a SealingEventStore. */
  readonly eventStore: EventStore;
  /** Each lead's data key, kept outside the event log (crypto-shredding on deletion). */
  readonly keyStore: LeadKeyStore;
  readonly readStore: ReadStore;
  /** Directory of uploaded images' bytes (their metadata is in the event log). */
  readonly assetsDir: string;
  /** Directory of uploaded import files and their error files (LEAD-7). */
  readonly importsDir: string;
  /** Where identity's integration events come from. */
  readonly bus: MessageBus;
}
