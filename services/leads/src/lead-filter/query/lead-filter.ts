/**
 * LEAD-9: the lead list's filter language, compiled to a read-store filter (MongoDB query
 * language, answered alike by the embedded store and MongoDB). Pure: the schema and the
 * enterprise's time zone are given.
 *
 * A filter is a list of conditions `{ field, op, value }`, all of which must hold (`match: 'all'`,
 * the default) or any one of which (`match: 'any'`), plus an optional free-text `q`. A field is a
 * system field key (`name`, `status`, `createdAt`, …) or a live custom field's key (also accepted
 * as `fields.<key>`). What an operator accepts depends on the field's type; anything else, and any
 * unknown or deleted field, is refused naming `conditions[i].field`, `.op` or `.value`.
 */
import { DomainError } from '@leadstream/event-sourcing';
import type { Filter } from '@leadstream/read-store';
import { addDays, isDay, startOfDayUtc } from '../../lead-overview/domain/time-zone-days';
import { normalisePhone } from '../../lead/domain/lead.decider';
import { parseCalendarDate, parseInstant } from '../../lead-schema/domain/field-formats';
import type { CustomFieldDefinition, CustomFieldType, LeadSchema, SystemFieldKey } from '../../lead-schema/domain/lead-schema.types';
import { SYSTEM_FIELD_KEYS } from '../../lead-schema/domain/lead-schema.types';

export const FILTER_OPERATORS = [
  'contains',
  'equals',
  'anyOf',
  'allOf',
  'noneOf',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'from',
  'to',
  'empty',
  'notEmpty',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

export interface LeadCondition {
  readonly field: string;
  readonly op: string;
  readonly value?: unknown;
}

export interface LeadFilterDefinition {
  readonly conditions?: readonly LeadCondition[];
  /** `all` (default): every condition holds; `any`: at least one does. */
  readonly match?: 'all' | 'any';
  /** Free text in name, phone, QQ, e-mail, company or title (case-insensitive). */
  readonly q?: string;
}

export const MAX_CONDITIONS = 50;
export const MAX_LIST_VALUES = 500;
export const MAX_Q_LENGTH = 100;

/** How a field is filtered, sorted and shown; `path` is where the lead list document holds it. */
export type FieldKind = 'text' | 'id' | 'tags' | 'number' | 'singleChoice' | 'multiChoice' | 'date' | 'instant' | 'image';

export interface ResolvedField {
  /** The field as the API names it: a system key or a custom field's key. */
  readonly key: string;
  readonly path: string;
  readonly kind: FieldKind;
  readonly system: boolean;
  readonly custom?: CustomFieldDefinition;
}

const SYSTEM_FIELDS: Readonly<Record<SystemFieldKey, { path: string; kind: FieldKind }>> = {
  name: { path: 'name', kind: 'text' },
  phone: { path: 'phone', kind: 'text' },
  qq: { path: 'qq', kind: 'text' },
  email: { path: 'email', kind: 'text' },
  company: { path: 'company', kind: 'text' },
  title: { path: 'title', kind: 'text' },
  source: { path: 'source', kind: 'text' },
  activity: { path: 'activityId', kind: 'id' },
  owner: { path: 'ownerId', kind: 'id' },
  status: { path: 'statusId', kind: 'id' },
  tags: { path: 'tags', kind: 'tags' },
  score: { path: 'score', kind: 'number' },
  createdAt: { path: 'createdAt', kind: 'instant' },
  updatedAt: { path: 'updatedAt', kind: 'instant' },
};

const KIND_OF_TYPE: Readonly<Record<CustomFieldType, FieldKind>> = {
  text: 'text',
  longText: 'text',
  integer: 'number',
  real: 'number',
  singleChoice: 'singleChoice',
  multiChoice: 'multiChoice',
  date: 'date',
  dateTime: 'instant',
  image: 'image',
};

/** Operators each kind of field accepts. */
export const OPERATORS_OF_KIND: Readonly<Record<FieldKind, readonly FilterOperator[]>> = {
  text: ['contains', 'equals', 'anyOf', 'noneOf', 'empty', 'notEmpty'],
  id: ['equals', 'anyOf', 'noneOf', 'empty', 'notEmpty'],
  tags: ['anyOf', 'allOf', 'noneOf', 'empty', 'notEmpty'],
  number: ['equals', 'gt', 'gte', 'lt', 'lte', 'between', 'empty', 'notEmpty'],
  singleChoice: ['equals', 'anyOf', 'noneOf', 'empty', 'notEmpty'],
  multiChoice: ['anyOf', 'allOf', 'noneOf', 'empty', 'notEmpty'],
  date: ['equals', 'from', 'to', 'between', 'empty', 'notEmpty'],
  instant: ['from', 'to', 'between', 'empty', 'notEmpty'],
  image: ['empty', 'notEmpty'],
};

const ARRAY_KINDS: ReadonlySet<FieldKind> = new Set(['tags', 'multiChoice']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isSystemKey(key: string): key is SystemFieldKey {
  return (SYSTEM_FIELD_KEYS as readonly string[]).includes(key);
}

/**
 * A field of the lead schema by its API name: `{ field }` or `{ error }` (unknown, deleted).
 * System field keys are matched exactly; custom field keys also as `fields.<key>`.
 */
export function resolveField(schema: Pick<LeadSchema, 'customFields'>, name: unknown): { field: ResolvedField } | { error: string } {
  if (typeof name !== 'string' || name.length === 0) return { error: 'must name a field of the lead schema' };
  if (isSystemKey(name)) {
    const { path, kind } = SYSTEM_FIELDS[name];
    return { field: { key: name, path, kind, system: true } };
  }
  const key = name.startsWith('fields.') ? name.slice('fields.'.length) : name;
  const live = schema.customFields.find((f) => !f.deleted && f.key === key);
  if (live) return { field: { key: live.key, path: `fields.${live.id}`, kind: KIND_OF_TYPE[live.type], system: false, custom: live } };
  if (schema.customFields.some((f) => f.deleted && f.key === key)) return { error: `${name} is a deleted field` };
  return { error: `${name} is not a field of the lead schema` };
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

type Compiled = { readonly filter: Filter } | { readonly errors: Record<string, string> };

interface ValueContext {
  readonly field: ResolvedField;
  readonly timeZone: string;
  readonly at: string;
}

function fail(at: string, reason: string): Compiled {
  return { errors: { [`${at}.value`]: reason } };
}

function emptyFilter(field: ResolvedField): Filter {
  if (ARRAY_KINDS.has(field.kind)) return { $or: [{ [field.path]: null }, { [field.path]: { $size: 0 } }] };
  return { [field.path]: null };
}

function notEmptyFilter(field: ResolvedField): Filter {
  if (ARRAY_KINDS.has(field.kind)) return { [`${field.path}.0`]: { $exists: true } };
  return { [field.path]: { $ne: null } };
}

/** One scalar operand of a field, normalised as stored; `{ error }` when it cannot be one. */
function operand(ctx: ValueContext, raw: unknown, bound: 'from' | 'to' | 'exact'): { value: string | number } | { error: string } {
  const { field } = ctx;
  switch (field.kind) {
    case 'text':
    case 'tags': {
      if (typeof raw !== 'string' || raw.trim().length === 0) return { error: 'must be a non-empty string' };
      if (raw.length > 500) return { error: 'must be at most 500 characters' };
      const text = raw.normalize('NFC').trim();
      return { value: field.key === 'phone' ? normalisePhone(text) : text };
    }
    case 'id':
      if (typeof raw !== 'string' || !UUID.test(raw)) return { error: 'must be an id (UUID)' };
      return { value: raw.toLowerCase() };
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return { error: 'must be a finite number' };
      return { value: raw };
    case 'singleChoice':
    case 'multiChoice': {
      const options = field.custom?.attributes.options ?? [];
      if (typeof raw !== 'string' || !options.some((o) => o.id === raw)) return { error: `must be an option id of ${field.key}` };
      return { value: raw };
    }
    case 'date': {
      const day = typeof raw === 'string' ? parseCalendarDate(raw) : null;
      if (!day) return { error: 'must be a calendar date YYYY-MM-DD' };
      return { value: day };
    }
    case 'instant': {
      if (typeof raw === 'string' && isDay(raw) && parseCalendarDate(raw)) {
        // A day is its whole length in the enterprise's time zone: `to` a day includes it.
        const day = bound === 'to' ? addDays(raw, 1) : raw;
        return { value: new Date(startOfDayUtc(day, ctx.timeZone)).toISOString() };
      }
      const instant = typeof raw === 'string' ? parseInstant(raw) : null;
      if (!instant) return { error: 'must be a date-time with a UTC offset (e.g. 2026-01-31T09:00:00+08:00) or a day YYYY-MM-DD' };
      return { value: instant };
    }
    case 'image':
      return { error: 'takes no value' };
  }
}

/** `to` on an instant given as a day is exclusive of the next day's start; an instant is inclusive. */
function upperBound(ctx: ValueContext, raw: unknown, value: string | number): Filter {
  return ctx.field.kind === 'instant' && typeof raw === 'string' && isDay(raw) ? { $lt: value } : { $lte: value };
}

function compileCondition(condition: unknown, at: string, schema: Pick<LeadSchema, 'customFields'>, timeZone: string): Compiled {
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) return { errors: { [at]: 'must be an object { field, op, value }' } };
  const { field: name, op, value } = condition as LeadCondition;
  const resolved = resolveField(schema, name);
  if ('error' in resolved) return { errors: { [`${at}.field`]: resolved.error } };
  const { field } = resolved;
  const allowed = OPERATORS_OF_KIND[field.kind];
  if (typeof op !== 'string' || !(allowed as readonly string[]).includes(op)) {
    return { errors: { [`${at}.op`]: `must be one of ${allowed.join(', ')} for ${field.key}` } };
  }
  const ctx: ValueContext = { field, timeZone, at };
  const path = field.path;
  switch (op as FilterOperator) {
    case 'empty':
    case 'notEmpty':
      if (value !== undefined && value !== null) return fail(at, `takes no value with ${op}`);
      return { filter: op === 'empty' ? emptyFilter(field) : notEmptyFilter(field) };
    case 'contains': {
      const v = operand(ctx, value, 'exact');
      if ('error' in v) return fail(at, v.error);
      return { filter: { [path]: { $regex: escapeRegex(String(v.value)), $options: 'i' } } };
    }
    case 'equals': {
      const v = operand(ctx, value, 'exact');
      if ('error' in v) return fail(at, v.error);
      return { filter: { [path]: v.value } };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const v = operand(ctx, value, 'exact');
      if ('error' in v) return fail(at, v.error);
      return { filter: { [path]: { [`$${op}`]: v.value } } };
    }
    case 'from': {
      const v = operand(ctx, value, 'from');
      if ('error' in v) return fail(at, v.error);
      return { filter: { [path]: { $gte: v.value } } };
    }
    case 'to': {
      const v = operand(ctx, value, 'to');
      if ('error' in v) return fail(at, v.error);
      return { filter: { [path]: upperBound(ctx, value, v.value) } };
    }
    case 'between': {
      if (!Array.isArray(value) || value.length !== 2) return fail(at, 'must be a pair [from, to]');
      const low = operand(ctx, value[0], 'from');
      const high = operand(ctx, value[1], 'to');
      if ('error' in low) return { errors: { [`${at}.value[0]`]: low.error } };
      if ('error' in high) return { errors: { [`${at}.value[1]`]: high.error } };
      if (low.value > high.value) return fail(at, 'from must not be after to');
      return { filter: { [path]: { $gte: low.value, ...upperBound(ctx, value[1], high.value) } } };
    }
    case 'anyOf':
    case 'allOf':
    case 'noneOf': {
      if (!Array.isArray(value) || value.length === 0) return fail(at, 'must be a non-empty list');
      if (value.length > MAX_LIST_VALUES) return fail(at, `must hold at most ${MAX_LIST_VALUES} values`);
      const values: (string | number)[] = [];
      for (const [j, item] of value.entries()) {
        const v = operand(ctx, item, 'exact');
        if ('error' in v) return { errors: { [`${at}.value[${j}]`]: v.error } };
        values.push(v.value);
      }
      const distinct = [...new Set(values)];
      const mongoOp = op === 'anyOf' ? '$in' : op === 'allOf' ? '$all' : '$nin';
      return { filter: { [path]: { [mongoOp]: distinct } } };
    }
  }
}

/**
 * The read-store filter of a lead filter, without the tenant (the caller adds it), or a 400
 * DomainError naming every bad part (`<prefix>conditions[i].field|op|value`, `<prefix>q`).
 * An empty filter selects every lead: `{}`.
 */
export function compileLeadFilter(
  definition: LeadFilterDefinition,
  schema: Pick<LeadSchema, 'customFields'>,
  timeZone: string,
  prefix = '',
): Filter {
  const errors: Record<string, string> = {};
  const parts: Filter[] = [];
  const conditions: unknown = definition.conditions ?? [];
  if (!Array.isArray(conditions)) {
    errors[`${prefix}conditions`] = 'must be a list of conditions';
  } else if (conditions.length > MAX_CONDITIONS) {
    errors[`${prefix}conditions`] = `must hold at most ${MAX_CONDITIONS} conditions`;
  } else {
    conditions.forEach((condition, i) => {
      const compiled = compileCondition(condition, `${prefix}conditions[${i}]`, schema, timeZone);
      if ('errors' in compiled) Object.assign(errors, compiled.errors);
      else parts.push(compiled.filter);
    });
  }
  const match = definition.match ?? 'all';
  if (match !== 'all' && match !== 'any') errors[`${prefix}match`] = 'must be all or any';
  let text: Filter | null = null;
  if (definition.q !== undefined && definition.q !== null) {
    if (typeof definition.q !== 'string') errors[`${prefix}q`] = 'must be a string';
    else if (definition.q.length > MAX_Q_LENGTH) errors[`${prefix}q`] = `must be at most ${MAX_Q_LENGTH} characters`;
    else if (definition.q.trim().length > 0) text = { searchText: { $regex: escapeRegex(definition.q.normalize('NFC').trim().toLowerCase()) } };
  }
  if (Object.keys(errors).length > 0) {
    const first = Object.keys(errors)[0]!;
    throw new DomainError('invalid', 'leads.invalid-filter', `The lead filter is invalid: ${first} ${errors[first]}.`, errors);
  }
  const combined: Filter[] = [];
  if (parts.length === 1) combined.push(parts[0]!);
  else if (parts.length > 1) combined.push(match === 'any' ? { $or: parts } : { $and: parts });
  if (text) combined.push(text);
  if (combined.length === 0) return {};
  return combined.length === 1 ? combined[0]! : { $and: combined };
}
