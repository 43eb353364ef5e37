import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { Projection } from '@leadstream/read-store';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import type { LeadKeyStore } from './lead-key-store.port';

/**
 * Destroys the key of every deleted lead. The delete command destroys it at once after its event
 * is committed; this checkpointed follower makes that certain even if the process died between
 * the two (at-least-once, and destroying twice is harmless).
 */
export function keyShredderProjection(keys: LeadKeyStore): Projection {
  return {
    name: 'leads.key-shredder.v1',
    categories: [LEAD_CATEGORY],
    collections: [],
    async handle(events: readonly RecordedEvent[]): Promise<void> {
      for (const event of events) {
        if (event.type === 'leads.LeadDeleted') await keys.destroy((event.data as { leadId: string }).leadId);
      }
    },
  };
}
