/**
 * LEAD-8: the columns of an export — which fields, in which order, under which headers. Pure.
 * A column is a system field key, a live custom field's key (also as `fields.<key>`) or `id` (the
 * lead's id). Without columns the export has the list's default columns: every system field not
 * hidden in the schema, then every live custom field not hidden, in schema order.
 */
import { DomainError } from '@leadstream/event-sourcing';
import { SYSTEM_FIELD_LABELS } from '../../lead-schema/domain/lead-schema.decider';
import type { LeadSchema, SystemFieldKey } from '../../lead-schema/domain/lead-schema.types';
import { resolveField } from '../../lead-filter/query/lead-filter';
import type { ExportColumnSpec } from '../domain/export-cells';

export const MAX_EXPORT_COLUMNS = 200;
export const LEAD_ID_COLUMN = 'id';
export const LEAD_ID_LABEL = 'Lead ID';

export interface ExportColumn {
  /** The key as the request names it (custom fields: their key). */
  readonly key: string;
  /** The header: the field's label in the schema. */
  readonly label: string;
  readonly spec: ExportColumnSpec;
}

function invalid(fields: Record<string, string>): DomainError {
  const [first] = Object.keys(fields);
  return new DomainError('invalid', 'leads.invalid-export-request', `The export request is invalid: ${first} ${fields[first!]}.`, fields);
}

export function defaultExportColumns(schema: Pick<LeadSchema, 'systemFields' | 'customFields'>): ExportColumn[] {
  const system = schema.systemFields.filter((s) => !s.hidden).map((s) => systemColumn(s.key));
  const custom = schema.customFields.filter((f) => !f.deleted && !f.hidden).map((f): ExportColumn => ({ key: f.key, label: f.label, spec: { kind: 'custom', field: f } }));
  return [...system, ...custom];
}

function systemColumn(key: SystemFieldKey): ExportColumn {
  return { key, label: SYSTEM_FIELD_LABELS[key], spec: { kind: 'system', key } };
}

/**
 * The chosen columns, or a 400 naming each bad one (`<prefix>columns[i]`): an unknown or deleted
 * field, a column listed twice, or not a string. `undefined` gives the default columns.
 */
export function resolveExportColumns(
  columns: readonly unknown[] | undefined,
  schema: Pick<LeadSchema, 'systemFields' | 'customFields'>,
  prefix = '',
): ExportColumn[] {
  if (columns === undefined) return defaultExportColumns(schema);
  if (!Array.isArray(columns) || columns.length === 0) throw invalid({ [`${prefix}columns`]: 'must be a non-empty list of field keys' });
  if (columns.length > MAX_EXPORT_COLUMNS) throw invalid({ [`${prefix}columns`]: `must hold at most ${MAX_EXPORT_COLUMNS} fields` });
  const errors: Record<string, string> = {};
  const resolved: ExportColumn[] = [];
  const seen = new Map<string, number>();
  columns.forEach((column, i) => {
    const at = `${prefix}columns[${i}]`;
    let found: ExportColumn | null = null;
    if (column === LEAD_ID_COLUMN) {
      found = { key: LEAD_ID_COLUMN, label: LEAD_ID_LABEL, spec: { kind: 'id' } };
    } else {
      const field = resolveField(schema, column);
      if ('error' in field) {
        errors[at] = field.error;
        return;
      }
      const f = field.field;
      found = f.system || !f.custom ? systemColumn(f.key as SystemFieldKey) : { key: f.key, label: f.custom.label, spec: { kind: 'custom', field: f.custom } };
    }
    const earlier = seen.get(found.key);
    if (earlier !== undefined) {
      errors[at] = `${found.key} is already columns[${earlier}]`;
      return;
    }
    seen.set(found.key, i);
    resolved.push(found);
  });
  if (Object.keys(errors).length > 0) throw invalid(errors);
  return resolved;
}
