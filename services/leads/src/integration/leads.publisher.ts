import {
  LEADS_SOURCE,
  LEADS_TOPIC,
  BehaviourRecordedV1Type,
  LeadAssignedV1Type,
  LeadCreatedV2Type,
  LeadDeletedV1Type,
  LeadStatusChangedV1Type,
  LeadTagsChangedV1Type,
  LeadUpdatedV1Type,
  type BehaviourRecordedV1,
  type LeadAssignedV1,
  type LeadCreatedV2,
  type LeadDeletedV1,
  type LeadStatusChangedV1,
  type LeadTagsChangedV1,
  type LeadUpdatedV1,
  type SealedPersonalDataV1,
} from '@leadstream/contracts-leads';
import type { PublishedLog } from '@leadstream/bus';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import { LEAD_CATEGORY, type LeadEvent } from '../lead/domain/lead.events';
import { isSealed } from '../lead-crypto/personal-data-cipher';
import { LEAD_BEHAVIOUR_CATEGORY, type BehaviourRecorded } from '../lead-behaviour/domain/behaviour.events';

/**
 * The relay reads the raw log, where personal data is sealed; only the sealed form is published.
 * Anything else (which the sealing store never writes) is published as `null` rather than in clear.
 */
function sealedOrNull(personal: unknown): SealedPersonalDataV1 | null {
  return isSealed(personal) ? { alg: personal.alg, iv: personal.iv, ciphertext: personal.ciphertext } : null;
}

/** The relay's mapping from the leads service's domain events to its contracts. */
export function mapLeadsEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  if (event.type === 'leads.BehaviourRecorded') {
    const d = (event as unknown as BehaviourRecorded).data;
    const data: BehaviourRecordedV1 = { ...d, properties: { ...d.properties } };
    return { type: BehaviourRecordedV1Type, subject: d.leadId, data };
  }
  const e = event as unknown as LeadEvent;
  const subject = (e.data as { leadId?: string } | undefined)?.leadId ?? '';
  switch (e.type) {
    case 'leads.LeadCreated': {
      const d = e.data;
      const data: LeadCreatedV2 = {
        enterpriseId: d.enterpriseId,
        leadId: d.leadId,
        personal: sealedOrNull(d.personal),
        source: d.source,
        activityId: d.activityId,
        statusId: d.statusId,
        ownerId: d.ownerId,
        tags: [...d.tags],
        createdBy: d.createdBy,
        createdAt: d.createdAt,
      };
      return { type: LeadCreatedV2Type, subject, data };
    }
    case 'leads.LeadUpdated': {
      const d = e.data;
      const data: LeadUpdatedV1 = {
        enterpriseId: d.enterpriseId,
        leadId: d.leadId,
        personal: sealedOrNull(d.personal),
        ...(d.source !== undefined ? { source: d.source } : {}),
        updatedBy: d.updatedBy,
        updatedAt: d.updatedAt,
      };
      return { type: LeadUpdatedV1Type, subject, data };
    }
    case 'leads.LeadStatusChanged': {
      const data: LeadStatusChangedV1 = { ...e.data };
      return { type: LeadStatusChangedV1Type, subject, data };
    }
    case 'leads.LeadTagsChanged': {
      const d = e.data;
      const data: LeadTagsChangedV1 = { ...d, added: [...d.added], removed: [...d.removed], tags: [...d.tags] };
      return { type: LeadTagsChangedV1Type, subject, data };
    }
    case 'leads.LeadAssigned': {
      const data: LeadAssignedV1 = { ...e.data };
      return { type: LeadAssignedV1Type, subject, data };
    }
    case 'leads.LeadDeleted': {
      const data: LeadDeletedV1 = { ...e.data };
      return { type: LeadDeletedV1Type, subject, data };
    }
    default:
      return null;
  }
}

export const leadsPublishedLog: PublishedLog = {
  service: 'leads',
  source: LEADS_SOURCE,
  topic: LEADS_TOPIC,
  categories: [LEAD_CATEGORY, LEAD_BEHAVIOUR_CATEGORY],
  map: mapLeadsEvent,
};
