import type { ReadStore } from '@leadstream/read-store';
import type { IntegrationEvent } from './integration-event';

export interface ConsumerOptions {
  /** Durable consumer name (checkpoint and inbox key), e.g. `leads.identity-events`. */
  readonly name: string;
  /** Producing service whose integration events to receive, e.g. `identity`. */
  readonly from: string;
  /** The consuming service's read store: holds the checkpoint, the inbox and dead letters. */
  readonly store: ReadStore;
  /** Contract types to receive; others are acknowledged and skipped. Default: all. */
  readonly types?: readonly string[];
  /** Called once per event id (de-duplicated through the inbox). */
  handle(event: IntegrationEvent): Promise<void>;
  /** Attempts before an event is set aside as a dead letter. Default 5. */
  readonly maxAttempts?: number;
}

export interface ConsumerHandle {
  /** Resolves once the consumer has handled everything published before it started. */
  readonly caughtUp: Promise<void>;
  stop(): Promise<void>;
}

/** The integration bus port. Adapters: embedded (the event log itself), Kafka. */
export interface MessageBus {
  consume(options: ConsumerOptions): Promise<ConsumerHandle>;
  close(): Promise<void>;
}

export const INBOX_COLLECTION = 'bus_inbox';
export const DEAD_LETTER_COLLECTION = 'bus_dead_letters';
