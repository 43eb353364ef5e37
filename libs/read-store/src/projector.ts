import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { ReadStore } from './read-store.port';

/**
 * A projection follows some categories of one service's event log and maintains read models.
 * `handle` must be idempotent: delivery is at-least-once.
 */
export interface Projection {
  /** Checkpoint name; change the version suffix to force a rebuild (`leads.lead-list.v1`). */
  readonly name: string;
  /** Stream categories this projection reads. */
  readonly categories: readonly string[];
  /** Collections this projection owns; a rebuild drops them. */
  readonly collections: readonly string[];
  handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void>;
}
