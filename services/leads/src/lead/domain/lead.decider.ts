import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { CustomFieldValue } from '../../lead-schema/domain/lead-schema.types';
import type { LeadEvent, LeadPersonalChanges, LeadPersonalData } from './lead.events';

export interface LeadState {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly enterpriseId: string | null;
  /** null when the lead was erased (or before it exists). */
  readonly personal: LeadPersonalData | null;
  readonly source: string | null;
  readonly statusId: string | null;
  readonly ownerId: string | null;
  readonly tags: readonly string[];
}

/** Contact and company fields as the caller typed them (cleaned and checked here). */
export interface LeadContactInput {
  readonly name?: string | null;
  readonly phone?: string | null;
  readonly qq?: string | null;
  readonly email?: string | null;
  readonly company?: string | null;
  readonly title?: string | null;
}

interface Actor {
  readonly leadId: string;
  readonly enterpriseId: string;
  readonly actor: string;
  readonly now: string;
}

export interface CreateLead extends Actor, LeadContactInput {
  readonly kind: 'CreateLead';
  readonly source?: string | null;
  readonly activityId?: string | null;
  readonly tags?: readonly string[] | null;
  /** Resolved and checked against the status catalogue by the caller. */
  readonly statusId: string;
  /** Checked against the member directory by the caller. */
  readonly ownerId?: string | null;
  /** Custom-field values by field id, already validated against the schema. */
  readonly fields?: Readonly<Record<string, CustomFieldValue>>;
}

export interface UpdateLead extends Actor {
  readonly kind: 'UpdateLead';
  /** Only the given keys change; null clears. */
  readonly contact: LeadContactInput;
  readonly source?: string | null;
  /** Custom-field changes by field id, already validated; null clears. */
  readonly fields?: Readonly<Record<string, CustomFieldValue | null>>;
}

export interface SetLeadStatus extends Actor {
  readonly kind: 'SetLeadStatus';
  /** Checked by the caller: exists in the catalogue and is not retired. */
  readonly statusId: string;
}

export interface ChangeLeadTags extends Actor {
  readonly kind: 'ChangeLeadTags';
  readonly add?: readonly string[];
  readonly remove?: readonly string[];
}

export interface AssignLead extends Actor {
  readonly kind: 'AssignLead';
  /** Checked by the caller: an active member of the enterprise; null unassigns. */
  readonly ownerId: string | null;
}

export interface DeleteLead extends Actor {
  readonly kind: 'DeleteLead';
}

export type LeadCommand = CreateLead | UpdateLead | SetLeadStatus | ChangeLeadTags | AssignLead | DeleteLead;

/** Phone numbers: optional leading +, then 5-15 digits; spaces, dashes, dots and brackets are dropped. */
export const PHONE_PATTERN = /^\+?[0-9]{5,15}$/;
/** QQ numbers: 5-12 digits, no leading zero. */
export const QQ_PATTERN = /^[1-9][0-9]{4,11}$/;
/** A pragmatic e-mail check (the WHATWG `input type=email` rule). */
export const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
export const MAX_TAGS = 50;
export const MAX_TAG_LENGTH = 50;

export function normalisePhone(phone: string): string {
  return phone.replace(/[\s\-.()]/g, '');
}

function clean(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.normalize('NFC').trim();
  return trimmed.length === 0 ? null : trimmed;
}

function cleanTags(tags: readonly string[] | null | undefined): string[] {
  return [...new Set((tags ?? []).map((t) => t.normalize('NFC').trim()).filter((t) => t.length > 0))];
}

/** Cleans one contact field and checks its format; records a reason in `errors` when it is bad. */
function cleanContactField(key: keyof LeadContactInput, raw: string | null | undefined, errors: Record<string, string>): string | null {
  const value = clean(raw);
  if (value === null) return null;
  switch (key) {
    case 'phone': {
      const phone = normalisePhone(value);
      if (!PHONE_PATTERN.test(phone)) errors['phone'] = 'must be 5-15 digits, optionally starting with +';
      return phone;
    }
    case 'qq':
      if (!QQ_PATTERN.test(value)) errors['qq'] = 'must be 5-12 digits not starting with 0';
      return value;
    case 'email':
      if (value.length > 254 || !EMAIL_PATTERN.test(value)) {
        errors['email'] = 'must be a valid e-mail address';
        return value;
      }
      return value.replace(/@(.*)$/, (_m, domain: string) => `@${domain.toLowerCase()}`);
    default:
      return value;
  }
}

function contactRequired(): never {
  const reason = 'at least one of phone, qq and email is required';
  throw new DomainError('invalid', 'leads.contact-required', 'A lead needs at least one of phone, QQ number or e-mail.', { phone: reason, qq: reason, email: reason });
}

function invalidIfAny(errors: Record<string, string>): void {
  if (Object.keys(errors).length > 0) throw new DomainError('invalid', 'leads.invalid-lead', 'The lead is not valid.', errors);
}

function notFound(leadId: string): never {
  throw new DomainError('not_found', 'leads.lead-not-found', `Lead ${leadId} was not found.`);
}

function applyPersonalChanges(personal: LeadPersonalData, changes: LeadPersonalChanges): LeadPersonalData {
  const { fields: fieldChanges, ...contact } = changes;
  const fields: Record<string, CustomFieldValue> = { ...personal.fields };
  for (const [id, value] of Object.entries(fieldChanges ?? {})) {
    if (value === null) delete fields[id];
    else fields[id] = value;
  }
  return { ...personal, ...contact, fields };
}

function sameValue(a: CustomFieldValue | undefined, b: CustomFieldValue | null): boolean {
  if (b === null) return a === undefined;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return a === b;
}

const CONTACT_KEYS = ['name', 'phone', 'qq', 'email', 'company', 'title'] as const;

/**
 * The lead aggregate (LEAD-1, LEAD-2, LEAD-6): capture, edit, status, tags, owner, deletion.
 * References to other aggregates (status catalogue, members, schema, assets) are checked by the
 * caller; this decider keeps the lead's own rules (contact required, formats, no-op changes).
 */
export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState> = {
  initialState: () => ({ exists: false, deleted: false, enterpriseId: null, personal: null, source: null, statusId: null, ownerId: null, tags: [] }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.LeadCreated': {
        const d = event.data;
        return { exists: true, deleted: false, enterpriseId: d.enterpriseId, personal: d.personal, source: d.source, statusId: d.statusId, ownerId: d.ownerId, tags: d.tags };
      }
      case 'leads.LeadUpdated': {
        const d = event.data;
        const personal = state.personal && d.personal ? applyPersonalChanges(state.personal, d.personal) : state.personal;
        return { ...state, personal, source: d.source !== undefined ? d.source : state.source };
      }
      case 'leads.LeadStatusChanged':
        return { ...state, statusId: event.data.statusId };
      case 'leads.LeadTagsChanged':
        return { ...state, tags: event.data.tags };
      case 'leads.LeadAssigned':
        return { ...state, ownerId: event.data.ownerId };
      case 'leads.LeadDeleted':
        return { ...state, deleted: true, personal: null };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (command.kind === 'CreateLead') {
      if (state.exists) throw new DomainError('conflict', 'leads.lead-exists', 'The lead already exists.');
      const errors: Record<string, string> = {};
      const contact = Object.fromEntries(CONTACT_KEYS.map((k) => [k, cleanContactField(k, command[k], errors)])) as Record<(typeof CONTACT_KEYS)[number], string | null>;
      if (contact.phone === null && contact.qq === null && contact.email === null) contactRequired();
      const tags = cleanTags(command.tags);
      if (tags.length > MAX_TAGS) errors['tags'] = `must hold at most ${MAX_TAGS} tags`;
      invalidIfAny(errors);
      return [
        {
          type: 'leads.LeadCreated',
          data: {
            leadId: command.leadId,
            enterpriseId: command.enterpriseId,
            personal: { ...contact, fields: { ...(command.fields ?? {}) } },
            source: clean(command.source),
            activityId: clean(command.activityId),
            statusId: command.statusId,
            ownerId: command.ownerId ?? null,
            tags,
            createdBy: command.actor,
            createdAt: command.now,
          },
        },
      ];
    }
    if (!state.exists || state.deleted || state.enterpriseId !== command.enterpriseId) notFound(command.leadId);
    const base = { leadId: command.leadId, enterpriseId: command.enterpriseId };
    switch (command.kind) {
      case 'UpdateLead': {
        const current = state.personal;
        if (current === null) notFound(command.leadId);
        const errors: Record<string, string> = {};
        const changes: { -readonly [K in keyof LeadPersonalChanges]: LeadPersonalChanges[K] } = {};
        for (const key of CONTACT_KEYS) {
          if (!(key in command.contact) || command.contact[key] === undefined) continue;
          const value = cleanContactField(key, command.contact[key], errors);
          if (value !== current[key]) changes[key] = value;
        }
        invalidIfAny(errors);
        const fieldChanges: Record<string, CustomFieldValue | null> = {};
        for (const [id, value] of Object.entries(command.fields ?? {})) {
          if (!sameValue(current.fields[id], value)) fieldChanges[id] = value;
        }
        if (Object.keys(fieldChanges).length > 0) changes.fields = fieldChanges;
        const next = applyPersonalChanges(current, changes);
        if (next.phone === null && next.qq === null && next.email === null) contactRequired();
        const source = command.source === undefined ? undefined : clean(command.source);
        const sourceChanged = source !== undefined && source !== state.source;
        if (Object.keys(changes).length === 0 && !sourceChanged) return [];
        return [
          {
            type: 'leads.LeadUpdated',
            data: { ...base, personal: changes, ...(sourceChanged ? { source } : {}), updatedBy: command.actor, updatedAt: command.now },
          },
        ];
      }
      case 'SetLeadStatus': {
        if (state.statusId === command.statusId) return [];
        return [
          {
            type: 'leads.LeadStatusChanged',
            data: { ...base, previousStatusId: state.statusId ?? command.statusId, statusId: command.statusId, changedBy: command.actor, changedAt: command.now },
          },
        ];
      }
      case 'ChangeLeadTags': {
        const remove = new Set(cleanTags(command.remove));
        const add = cleanTags(command.add).filter((t) => !remove.has(t));
        const tooLong = [...add, ...remove].find((t) => t.length > MAX_TAG_LENGTH);
        if (tooLong !== undefined) throw new DomainError('invalid', 'leads.invalid-tags', 'A tag is too long.', { tags: `each tag must be at most ${MAX_TAG_LENGTH} characters` });
        const kept = state.tags.filter((t) => !remove.has(t));
        const added = add.filter((t) => !kept.includes(t));
        const removed = state.tags.filter((t) => remove.has(t));
        const tags = [...kept, ...added];
        if (added.length === 0 && removed.length === 0) return [];
        if (tags.length > MAX_TAGS) throw new DomainError('invalid', 'leads.too-many-tags', 'A lead holds at most 50 tags.', { tags: `a lead holds at most ${MAX_TAGS} tags` });
        return [{ type: 'leads.LeadTagsChanged', data: { ...base, added, removed, tags, changedBy: command.actor, changedAt: command.now } }];
      }
      case 'AssignLead': {
        if (state.ownerId === command.ownerId) return [];
        return [{ type: 'leads.LeadAssigned', data: { ...base, previousOwnerId: state.ownerId, ownerId: command.ownerId, assignedBy: command.actor, assignedAt: command.now } }];
      }
      case 'DeleteLead':
        return [{ type: 'leads.LeadDeleted', data: { ...base, deletedBy: command.actor, deletedAt: command.now } }];
      default:
        return assertNever(command);
    }
  },
};
