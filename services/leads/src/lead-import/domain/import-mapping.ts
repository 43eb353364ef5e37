import type { CustomFieldDefinition, LeadSchema } from '../../lead-schema/domain/lead-schema.types';
import type { ColumnMapping } from './lead-import.events';

/** System fields a column can be imported into (owner, score and the timestamps cannot be imported). */
export const IMPORTABLE_SYSTEM_FIELDS = ['name', 'phone', 'qq', 'email', 'company', 'title', 'source', 'activity', 'tags', 'status'] as const;
export type ImportableSystemField = (typeof IMPORTABLE_SYSTEM_FIELDS)[number];

export type ImportTarget = { readonly kind: 'system'; readonly key: ImportableSystemField } | { readonly kind: 'custom'; readonly field: CustomFieldDefinition };

export interface MappedColumn {
  /** Position of the column in each row. */
  readonly index: number;
  /** The column's header. */
  readonly column: string;
  readonly target: ImportTarget;
}

const NOT_MAPPABLE_SYSTEM = new Set(['owner', 'score', 'createdAt', 'updatedAt']);
const CONTACT = new Set(['phone', 'qq', 'email']);
const MAX_MAPPING_KEY = 200;

/** The field key a target names: `budget` or `fields.budget`. */
function targetKey(raw: string): string {
  return raw.startsWith('fields.') ? raw.slice('fields.'.length) : raw;
}

/**
 * Checks a mapping (column header → field) against the lead object schema as it stands and, when
 * given, the file's header row. Errors are keyed `mapping.<column>` (or `mapping` for the whole).
 */
export function checkMapping(
  mapping: ColumnMapping,
  schema: Pick<LeadSchema, 'customFields'>,
  headers: readonly string[] | null,
): { readonly columns: readonly MappedColumn[]; readonly errors: Readonly<Record<string, string>> } {
  const errors: Record<string, string> = {};
  const columns: MappedColumn[] = [];
  const live = new Map(schema.customFields.filter((f) => !f.deleted).map((f) => [f.key, f]));
  const usedBy = new Map<string, string>();
  const entries = Object.entries(mapping);
  if (entries.length === 0) errors['mapping'] = 'must map at least one column';
  for (const [column, rawTarget] of entries) {
    const name = `mapping.${column}`;
    if (column.length > MAX_MAPPING_KEY) {
      errors['mapping'] = `column names are at most ${MAX_MAPPING_KEY} characters`;
      continue;
    }
    if (typeof rawTarget !== 'string' || rawTarget.length === 0) {
      errors[name] = 'must be the key of a field of the lead schema';
      continue;
    }
    const index = headers === null ? -1 : headers.indexOf(column);
    if (headers !== null && index === -1) {
      errors[name] = 'is not a column of the file';
      continue;
    }
    let target: ImportTarget;
    const key = targetKey(rawTarget);
    if (!rawTarget.startsWith('fields.') && (IMPORTABLE_SYSTEM_FIELDS as readonly string[]).includes(rawTarget)) {
      target = { kind: 'system', key: rawTarget as ImportableSystemField };
    } else if (!rawTarget.startsWith('fields.') && NOT_MAPPABLE_SYSTEM.has(rawTarget)) {
      errors[name] = `${rawTarget} cannot be imported`;
      continue;
    } else {
      const field = live.get(key);
      if (!field) {
        errors[name] = `${rawTarget} is not a field of the lead schema`;
        continue;
      }
      target = { kind: 'custom', field };
    }
    const targetName = target.kind === 'system' ? target.key : `fields.${target.field.key}`;
    const other = usedBy.get(targetName);
    if (other !== undefined) {
      errors[name] = `${rawTarget} is already mapped from column ${other}`;
      continue;
    }
    usedBy.set(targetName, column);
    columns.push({ index, column, target });
  }
  if (Object.keys(errors).length === 0) {
    if (![...usedBy.keys()].some((k) => CONTACT.has(k))) errors['mapping'] = 'must map a column to at least one of phone, qq and email (every lead needs one)';
    for (const field of live.values()) {
      if (field.required && !usedBy.has(`fields.${field.key}`)) {
        errors['mapping'] = `the required field ${field.key} is not mapped`;
        break;
      }
    }
  }
  return { columns, errors };
}
