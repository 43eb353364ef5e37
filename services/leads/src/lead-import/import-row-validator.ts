// class-validator's isEmail is this function; imported alone, the import's worker thread does not load
// all of class-validator (~12 MB)
import isEmail from 'validator/lib/isEmail';
import { DomainError } from '@leadstream/event-sourcing';
import type { CustomFieldValue, LeadSchema } from '../lead-schema/domain/lead-schema.types';
import { validateCustomFields } from '../lead-schema/domain/validate-custom-fields';
import { leadDecider } from '../lead/domain/lead.decider';
import type { LeadCreated } from '../lead/domain/lead.events';
import type { AssetInfoSource } from '../lead/lead-operations';
import type { MappedColumn } from './domain/import-mapping';
import { readRow, type ImportedLeadInput, type ImportStatus } from './domain/import-row';

/** One problem of one row: the column (header) it is in, and why. */
export interface RowError {
  readonly column: string;
  readonly reason: string;
}

export type RowOutcome = { readonly ok: true; readonly event: LeadCreated } | { readonly ok: false; readonly errors: readonly RowError[] };

// The constraints of CreateLeadRequestDto (POST /v1/leads), with the same rules.
const PHONE_INPUT = /^\+?[0-9\s\-.()]{5,32}$/;
const QQ_INPUT = /^[1-9][0-9]{4,11}$/;
const MAX_LENGTH: Readonly<Record<string, number>> = { name: 100, email: 254, company: 200, title: 100, source: 64, activityId: 64 };

function dtoErrors(input: ImportedLeadInput): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [key, max] of Object.entries(MAX_LENGTH)) {
    const value = input[key as keyof ImportedLeadInput];
    if (typeof value === 'string' && value.length > max) errors[key] = `must be at most ${max} characters`;
  }
  if (input.phone !== undefined && !PHONE_INPUT.test(input.phone)) errors['phone'] = 'must be 5-15 digits, optionally starting with +';
  if (input.qq !== undefined && !QQ_INPUT.test(input.qq)) errors['qq'] = 'must be 5-12 digits not starting with 0';
  if (input.email !== undefined && errors['email'] === undefined && !isEmail(input.email)) errors['email'] = 'must be a valid e-mail address';
  if (input.tags !== undefined) {
    if (input.tags.length > 50) errors['tags'] = 'must hold at most 50 tags';
    else if (input.tags.some((t) => t.length > 50)) errors['tags'] = 'each tag must be at most 50 characters';
  }
  return errors;
}

/**
 * Checks one row exactly as `POST /v1/leads` checks its body — the request DTO's rules, the
 * status catalogue, the lead object schema (`validateCustomFields`), uploaded images, and the
 * lead decider — and answers the `LeadCreated` event to append, or every error by column.
 */
export class ImportRowValidator {
  /** Field path of an error (`phone`, `fields.budget`, `statusId`) → the column it came from. */
  private readonly columnOf = new Map<string, string>();
  private readonly assetCache = new Map<string, { contentType: string; size: number } | null>();
  private readonly defaultStatusId: string | null;

  constructor(
    private readonly columns: readonly MappedColumn[],
    private readonly schema: LeadSchema,
    private readonly statuses: readonly ImportStatus[],
    private readonly assets: AssetInfoSource,
    private readonly enterpriseId: string,
    private readonly actor: string,
  ) {
    for (const { column, target } of columns) {
      const path = target.kind === 'custom' ? `fields.${target.field.key}` : target.key === 'activity' ? 'activityId' : target.key === 'status' ? 'statusId' : target.key;
      this.columnOf.set(path, column);
    }
    this.defaultStatusId = statuses.find((s) => !s.retired)?.id ?? null;
  }

  async check(cells: readonly string[], leadId: string, now: string): Promise<RowOutcome> {
    const read = readRow(cells, this.columns, this.statuses);
    const errors: Record<string, string> = {};
    for (const [column, reason] of Object.entries(read.errors)) errors[`column:${column}`] = reason;
    const input = read.input;
    Object.assign(errors, dtoErrors(input));
    const checked = validateCustomFields(this.schema, input.fields, 'create');
    for (const [path, reason] of Object.entries(checked.errors)) {
      // a cell that could not be read already has its error
      const column = this.columnOf.get(path);
      if (column === undefined || errors[`column:${column}`] === undefined) errors[path] = reason;
    }
    await this.checkImages(input, errors);
    const statusId = input.statusId ?? this.defaultStatusId;
    if (statusId === null) errors['statusId'] = 'no status is assignable: every status is retired';
    if (Object.keys(errors).length > 0) return { ok: false, errors: this.named(errors) };
    const fields = Object.fromEntries(Object.entries(checked.values).filter((e): e is [string, CustomFieldValue] => e[1] !== null));
    try {
      const [event] = leadDecider.decide(
        {
          kind: 'CreateLead',
          leadId,
          enterpriseId: this.enterpriseId,
          actor: this.actor,
          now,
          name: input.name ?? null,
          phone: input.phone ?? null,
          qq: input.qq ?? null,
          email: input.email ?? null,
          company: input.company ?? null,
          title: input.title ?? null,
          source: input.source ?? null,
          activityId: input.activityId ?? null,
          tags: input.tags ?? null,
          statusId: statusId!,
          ownerId: null,
          fields,
        },
        leadDecider.initialState(),
      );
      return { ok: true, event: event as LeadCreated };
    } catch (error) {
      if (error instanceof DomainError) {
        const fieldErrors = Object.keys(error.fields).length > 0 ? error.fields : { '': error.message };
        return { ok: false, errors: this.named(fieldErrors) };
      }
      throw error;
    }
  }

  private async checkImages(input: ImportedLeadInput, errors: Record<string, string>): Promise<void> {
    for (const field of this.schema.customFields) {
      if (field.deleted || field.type !== 'image') continue;
      const assetId = input.fields[field.key];
      if (typeof assetId !== 'string' || errors[`fields.${field.key}`] !== undefined) continue;
      let asset = this.assetCache.get(assetId);
      if (asset === undefined) {
        asset = await this.assets.find(this.enterpriseId, assetId);
        if (this.assetCache.size > 10_000) this.assetCache.clear();
        this.assetCache.set(assetId, asset);
      }
      if (asset === null) errors[`fields.${field.key}`] = 'is not an image uploaded to this enterprise (POST /v1/assets)';
      else if (field.attributes.maxBytes !== undefined && asset.size > field.attributes.maxBytes) errors[`fields.${field.key}`] = `the image is larger than ${field.attributes.maxBytes} bytes`;
    }
  }

  /** Errors by column; one reason given for several fields (contact required) is reported once. */
  private named(errors: Readonly<Record<string, string>>): RowError[] {
    const byReason = new Map<string, string[]>();
    for (const [path, reason] of Object.entries(errors)) {
      const column = path.startsWith('column:') ? path.slice('column:'.length) : (this.columnOf.get(path) ?? (path === '' ? '' : `(${path})`));
      const list = byReason.get(reason) ?? [];
      if (!list.includes(column)) list.push(column);
      byReason.set(reason, list);
    }
    return [...byReason].map(([reason, columns]) => {
      const mapped = columns.filter((c) => !c.startsWith('('));
      return { column: (mapped.length > 0 ? mapped : columns).join(', '), reason };
    });
  }
}
