import { LEADS_SOURCE, LEADS_TOPIC, LeadCreatedV1Type, type LeadCreatedV1 } from '@leadstream/contracts-leads';
import type { PublishedLog } from '@leadstream/bus';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import { LEAD_CATEGORY, type LeadEvent } from '../lead/domain/lead.events';

/** The relay's mapping from the leads service's domain events to its v1 contracts. */
export function mapLeadsEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  const e = event as unknown as LeadEvent;
  switch (e.type) {
    case 'leads.LeadCreated': {
      const d = e.data;
      const data: LeadCreatedV1 = {
        enterpriseId: d.enterpriseId,
        leadId: d.leadId,
        name: d.name,
        phone: d.phone,
        qq: d.qq,
        email: d.email,
        company: d.company,
        source: d.source,
        activityId: d.activityId,
        tags: [...d.tags],
        createdAt: d.createdAt,
      };
      return { type: LeadCreatedV1Type, subject: d.leadId, data };
    }
    default:
      return null;
  }
}

export const leadsPublishedLog: PublishedLog = {
  service: 'leads',
  source: LEADS_SOURCE,
  topic: LEADS_TOPIC,
  categories: [LEAD_CATEGORY],
  map: mapLeadsEvent,
};
