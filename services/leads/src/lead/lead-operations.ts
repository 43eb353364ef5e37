import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, handleCommand, streamIdOf, type Decider, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import type { CustomFieldValue, FieldValidationResult, LeadSchema } from '../lead-schema/domain/lead-schema.types';
import type { LeadKeyStore } from '../lead-crypto/lead-key-store.port';
import { LEADS_EVENT_STORE, LEADS_KEY_STORE, LEADS_READ_STORE } from '../leads.tokens';
import { StatusCatalogueReader } from '../status/status-catalogue.reader';
import { isActiveMember } from '../tenant/integration/identity-events.consumer';
import { leadDecider, type LeadCommand, type LeadContactInput, type LeadState } from './domain/lead.decider';
import { LEAD_CATEGORY, type LeadEvent } from './domain/lead.events';
import type { LeadEdit, LeadOperation, LeadOperationOutcome } from './domain/lead-operation';

/** The lead object schema and its value rules, as lead writes need them (bound to the lead-schema slice). */
export interface CustomFieldRules {
  schema(enterpriseId: string): Promise<LeadSchema>;
  validate(schema: LeadSchema, input: Readonly<Record<string, unknown>>, mode: 'create' | 'patch', current?: Readonly<Record<string, CustomFieldValue>>): FieldValidationResult;
}
export const CUSTOM_FIELD_RULES = Symbol('CUSTOM_FIELD_RULES');

/** Uploaded images (bound to the asset slice): an image field may only point at one of its tenant's. */
export interface AssetInfoSource {
  find(tenantId: string, assetId: string): Promise<{ contentType: string; size: number } | null>;
}
export const ASSET_INFO_SOURCE = Symbol('ASSET_INFO_SOURCE');

/** Who performs a lead write. */
export interface LeadActor {
  readonly tenantId: string;
  readonly memberId: string;
}

export interface CreateLeadInput extends LeadContactInput {
  readonly source?: string | null;
  readonly activityId?: string | null;
  readonly tags?: readonly string[] | null;
  readonly statusId?: string | null;
  readonly ownerId?: string | null;
  /** `{ <fieldKey>: value }` */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export interface WriteContext {
  readonly correlationId: string;
  readonly causationId?: string | null;
}

function invalid(code: string, message: string, fields: Record<string, string>): DomainError {
  return new DomainError('invalid', code, message, fields);
}

/**
 * Every write to a lead goes through here (single routes, batches, later imports): references to
 * other aggregates are checked (status catalogue, member directory, lead object schema, uploaded
 * images), then the lead's decider decides and the events are appended with optimistic concurrency.
 */
@Injectable()
export class LeadOperations {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    @Inject(LEADS_READ_STORE) private readonly readStore: ReadStore,
    @Inject(LEADS_KEY_STORE) private readonly keys: LeadKeyStore,
    @Inject(CUSTOM_FIELD_RULES) private readonly fieldRules: CustomFieldRules,
    @Inject(ASSET_INFO_SOURCE) private readonly assets: AssetInfoSource,
    private readonly statuses: StatusCatalogueReader,
  ) {}

  async create(actor: LeadActor, input: CreateLeadInput, context: WriteContext, options: { leadId?: string; eventId?: string } = {}): Promise<{ id: string }> {
    const leadId = options.leadId ?? randomUUID();
    const statusId = await this.assignableStatus(actor.tenantId, input.statusId ?? null);
    if (input.ownerId) await this.assertOwner(actor.tenantId, input.ownerId);
    const schema = await this.fieldRules.schema(actor.tenantId);
    const checked = this.fieldRules.validate(schema, input.fields ?? {}, 'create');
    await this.assertValidFields(actor.tenantId, schema, checked, input.fields ?? {});
    const { fields: _fields, statusId: _status, ownerId, ...rest } = input;
    const values = Object.fromEntries(Object.entries(checked.values).filter((e): e is [string, CustomFieldValue] => e[1] !== null));
    await handleCommand(
      this.store,
      streamIdOf(LEAD_CATEGORY, leadId),
      leadDecider,
      { kind: 'CreateLead', leadId, enterpriseId: actor.tenantId, ...rest, statusId, ownerId: ownerId ?? null, fields: values, actor: actor.memberId, now: new Date().toISOString() },
      this.metadata(actor, context),
      options.eventId ? { eventIds: [options.eventId] } : {},
    );
    return { id: leadId };
  }

  /** Applies one operation to one lead: 'applied' when it changed the lead, 'unchanged' when there was nothing to do. */
  async apply(actor: LeadActor, leadId: string, operation: LeadOperation, context: WriteContext): Promise<LeadOperationOutcome> {
    const base = { leadId, enterpriseId: actor.tenantId, actor: actor.memberId, now: new Date().toISOString() };
    let decider: Decider<LeadCommand, LeadEvent, LeadState> = leadDecider;
    let command: LeadCommand;
    switch (operation.kind) {
      case 'setStatus':
        command = { kind: 'SetLeadStatus', ...base, statusId: await this.assignableStatus(actor.tenantId, operation.statusId) };
        break;
      case 'changeTags':
        command = { kind: 'ChangeLeadTags', ...base, add: operation.add ?? [], remove: operation.remove ?? [] };
        break;
      case 'assign':
        if (operation.ownerId !== null) await this.assertOwner(actor.tenantId, operation.ownerId);
        command = { kind: 'AssignLead', ...base, ownerId: operation.ownerId };
        break;
      case 'edit': {
        const { fields: fieldInput, source, ...contact } = operation.changes;
        command = { kind: 'UpdateLead', ...base, contact, ...(source !== undefined ? { source } : {}) };
        if (fieldInput !== undefined && Object.keys(fieldInput).length > 0) decider = await this.editDecider(actor.tenantId, fieldInput);
        break;
      }
      case 'delete':
        command = { kind: 'DeleteLead', ...base };
        break;
      default: {
        const unknown: never = operation;
        throw new Error(`unknown lead operation ${JSON.stringify(unknown)}`);
      }
    }
    const result = await handleCommand(this.store, streamIdOf(LEAD_CATEGORY, leadId), decider, command, this.metadata(actor, context));
    // The deletion is committed: destroy the key now (the key shredder follows the log too, in case we die right here).
    if (operation.kind === 'delete' && result.newEvents.length > 0) await this.keys.destroy(leadId);
    return result.newEvents.length > 0 ? 'applied' : 'unchanged';
  }

  /** The data key of a live lead (for downstream consumers decrypting sealed payloads), or null. */
  async dataKey(tenantId: string, leadId: string): Promise<Buffer | null> {
    const events = await this.store.readStream(streamIdOf(LEAD_CATEGORY, leadId));
    let state = leadDecider.initialState();
    for (const e of events) state = leadDecider.evolve(state, e as unknown as LeadEvent);
    if (!state.exists || state.deleted || state.enterpriseId !== tenantId) return null;
    return this.keys.keyFor(leadId, tenantId, false);
  }

  /**
   * Edits with custom-field values: the values are validated against the schema as it stands now
   * and against the lead's current values (a required field cannot be cleared; a retired option
   * the lead already holds stays allowed), inside the decide step so it sees the state it appends on.
   */
  private async editDecider(tenantId: string, fieldInput: Readonly<Record<string, unknown>>): Promise<Decider<LeadCommand, LeadEvent, LeadState>> {
    const schema = await this.fieldRules.schema(tenantId);
    const precheck = this.fieldRules.validate(schema, fieldInput, 'patch');
    await this.assertValidFields(tenantId, schema, { ...precheck, errors: {} }, fieldInput);
    return {
      ...leadDecider,
      decide: (command, state) => {
        if (command.kind !== 'UpdateLead' || state.personal === null) return leadDecider.decide(command, state);
        const checked = this.fieldRules.validate(schema, fieldInput, 'patch', state.personal.fields);
        if (Object.keys(checked.errors).length > 0) throw invalid('leads.invalid-fields', 'Some custom-field values are not valid.', checked.errors);
        return leadDecider.decide({ ...command, fields: checked.values }, state);
      },
    };
  }

  private async assertValidFields(tenantId: string, schema: LeadSchema, checked: FieldValidationResult, input: Readonly<Record<string, unknown>>): Promise<void> {
    const errors: Record<string, string> = { ...checked.errors };
    for (const field of schema.customFields) {
      if (field.deleted || field.type !== 'image') continue;
      const assetId = input[field.key];
      if (typeof assetId !== 'string' || errors[`fields.${field.key}`] !== undefined) continue;
      const asset = await this.assets.find(tenantId, assetId);
      if (asset === null) errors[`fields.${field.key}`] = 'is not an image uploaded to this enterprise (POST /v1/assets)';
      else if (field.attributes.maxBytes !== undefined && asset.size > field.attributes.maxBytes) errors[`fields.${field.key}`] = `the image is larger than ${field.attributes.maxBytes} bytes`;
    }
    if (Object.keys(errors).length > 0) throw invalid('leads.invalid-fields', 'Some custom-field values are not valid.', errors);
  }

  private async assignableStatus(tenantId: string, statusId: string | null): Promise<string> {
    const catalogue = await this.statuses.get(tenantId);
    if (statusId === null) {
      const first = catalogue.statuses.find((s) => !s.retired);
      if (!first) throw invalid('leads.no-assignable-status', 'Every lead status is retired.', { statusId: 'no status is assignable: every status is retired' });
      return first.id;
    }
    const status = catalogue.statuses.find((s) => s.id === statusId);
    if (!status) throw invalid('leads.unknown-status', 'The status does not exist.', { statusId: 'is not a lead status of this enterprise' });
    if (status.retired) throw invalid('leads.status-retired', 'The status is retired.', { statusId: 'is retired and can no longer be assigned' });
    return status.id;
  }

  private async assertOwner(tenantId: string, ownerId: string): Promise<void> {
    if (!(await isActiveMember(this.readStore, tenantId, ownerId))) {
      throw invalid('leads.owner-not-active', 'The owner must be an active member of the enterprise.', { ownerId: 'is not an active member of this enterprise' });
    }
  }

  private metadata(actor: LeadActor, context: WriteContext): EventMetadata {
    return { tenantId: actor.tenantId, correlationId: context.correlationId, causationId: context.causationId ?? null, actor: actor.memberId };
  }
}

/** Re-exported for the single-lead routes' DTOs. */
export type { LeadEdit };
