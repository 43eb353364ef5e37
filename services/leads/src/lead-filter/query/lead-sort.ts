/**
 * LEAD-9: sorting, keyset pagination and chosen columns of the lead list. Pure.
 *
 * One sort field at a time (the lead's id breaks ties), like the list's column headers. Leads
 * without a value sort as the lowest values do in MongoDB: first ascending, last descending. The
 * cursor carries the sort it was made for, the last value and the last id, so a page never skips
 * or repeats a lead while others are written.
 */
import { DomainError } from '@leadstream/event-sourcing';
import type { Filter, Sort } from '@leadstream/read-store';
import type { LeadSchema } from '../../lead-schema/domain/lead-schema.types';
import { resolveField, type FieldKind, type ResolvedField } from './lead-filter';

export interface LeadSortDefinition {
  readonly field: string;
  readonly direction?: 'asc' | 'desc';
}

export interface ResolvedSort {
  readonly field: ResolvedField;
  readonly direction: 1 | -1;
  /** Stable name of the sort, carried in cursors. */
  readonly key: string;
}

const SORTABLE: ReadonlySet<FieldKind> = new Set(['text', 'number', 'date', 'instant']);

export const DEFAULT_SORT: LeadSortDefinition = { field: 'createdAt', direction: 'desc' };

function invalid(fields: Record<string, string>): DomainError {
  const [first] = Object.keys(fields);
  return new DomainError('invalid', 'leads.invalid-list-request', `The list request is invalid: ${first} ${fields[first!]}.`, fields);
}

export function resolveSort(sort: LeadSortDefinition | undefined, schema: Pick<LeadSchema, 'customFields'>, prefix = ''): ResolvedSort {
  const given = sort ?? DEFAULT_SORT;
  if (given === null || typeof given !== 'object') throw invalid({ [`${prefix}sort`]: 'must be an object { field, direction }' });
  const resolved = resolveField(schema, given.field);
  if ('error' in resolved) throw invalid({ [`${prefix}sort.field`]: resolved.error });
  if (!SORTABLE.has(resolved.field.kind)) throw invalid({ [`${prefix}sort.field`]: `${resolved.field.key} cannot be sorted on (text, number, date and date-time fields can)` });
  const direction = given.direction ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') throw invalid({ [`${prefix}sort.direction`]: 'must be asc or desc' });
  return { field: resolved.field, direction: direction === 'asc' ? 1 : -1, key: `${resolved.field.path}:${direction}` };
}

export function sortOf(sort: ResolvedSort): Sort {
  return { [sort.field.path]: sort.direction, _id: sort.direction };
}

/** The value a document holds at a dotted path, null when it holds none. */
export function valueAt(doc: Record<string, unknown>, path: string): unknown {
  let current: unknown = doc;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return null;
    current = (current as Record<string, unknown>)[part];
  }
  return current === undefined ? null : current;
}

export interface CursorPosition {
  readonly sort: string;
  readonly value: string | number | null;
  readonly id: string;
}

export function cursorPositionOf(sort: ResolvedSort, doc: Record<string, unknown> & { _id: string }): CursorPosition {
  const value = valueAt(doc, sort.field.path);
  return { sort: sort.key, value: typeof value === 'string' || typeof value === 'number' ? value : null, id: doc._id };
}

/** Documents strictly after `position` in the order of `sort`. */
export function afterCursor(sort: ResolvedSort, position: CursorPosition): Filter {
  const p = sort.field.path;
  const { value, id } = position;
  if (sort.direction === 1) {
    if (value === null) return { $or: [{ [p]: null, _id: { $gt: id } }, { [p]: { $ne: null } }] };
    return { $or: [{ [p]: { $gt: value } }, { [p]: value, _id: { $gt: id } }] };
  }
  if (value === null) return { [p]: null, _id: { $lt: id } };
  return { $or: [{ [p]: { $lt: value } }, { [p]: value, _id: { $lt: id } }, { [p]: null }] };
}

/** Reads a decoded cursor payload; null when it was not made by this list for this sort. */
export function readCursorPosition(payload: Record<string, unknown>, sort: ResolvedSort): CursorPosition | null {
  const { s, v, i } = payload;
  if (s !== sort.key || typeof i !== 'string') return null;
  if (v !== null && typeof v !== 'string' && typeof v !== 'number') return null;
  return { sort: s, value: v, id: i };
}

/** What a chosen column shows, by the name the lead view gives it. */
const VIEW_NAME_OF_SYSTEM_KEY: Readonly<Record<string, string>> = { activity: 'activityId', owner: 'ownerId', status: 'statusId' };

export const MAX_COLUMNS = 200;

export interface ResolvedColumns {
  /** Properties of the lead view to keep (`id` always). */
  readonly system: readonly string[];
  /** Custom field keys to keep in `fields`. */
  readonly custom: readonly string[];
}

export function resolveColumns(columns: readonly unknown[] | undefined, schema: Pick<LeadSchema, 'customFields'>, prefix = ''): ResolvedColumns | null {
  if (columns === undefined) return null;
  if (!Array.isArray(columns)) throw invalid({ [`${prefix}columns`]: 'must be a list of field keys' });
  if (columns.length > MAX_COLUMNS) throw invalid({ [`${prefix}columns`]: `must hold at most ${MAX_COLUMNS} fields` });
  const system: string[] = [];
  const custom: string[] = [];
  const errors: Record<string, string> = {};
  columns.forEach((column, i) => {
    const resolved = resolveField(schema, column);
    if ('error' in resolved) errors[`${prefix}columns[${i}]`] = resolved.error;
    else if (resolved.field.system) system.push(VIEW_NAME_OF_SYSTEM_KEY[resolved.field.key] ?? resolved.field.key);
    else custom.push(resolved.field.key);
  });
  if (Object.keys(errors).length > 0) throw invalid(errors);
  return { system: [...new Set(system)], custom: [...new Set(custom)] };
}

/** The lead view cut down to the chosen columns (id always kept). */
export function pickColumns<V extends { id: string; fields: Record<string, unknown> }>(view: V, columns: ResolvedColumns | null): Record<string, unknown> {
  if (!columns) return view;
  const picked: Record<string, unknown> = { id: view.id };
  for (const name of columns.system) picked[name] = (view as Record<string, unknown>)[name];
  if (columns.custom.length > 0) {
    const fields: Record<string, unknown> = {};
    for (const key of columns.custom) if (view.fields[key] !== undefined) fields[key] = view.fields[key];
    picked['fields'] = fields;
  }
  return picked;
}
