import type { MessageBus } from '@leadstream/bus';
import type { EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';

export const LEADS_EVENT_STORE = Symbol('LEADS_EVENT_STORE');
export const LEADS_READ_STORE = Symbol('LEADS_READ_STORE');
export const LEADS_OPTIONS = Symbol('LEADS_OPTIONS');

export interface LeadsOptions {
  readonly eventStore: EventStore;
  readonly readStore: ReadStore;
  /** Where identity's integration events come from. */
  readonly bus: MessageBus;
}
