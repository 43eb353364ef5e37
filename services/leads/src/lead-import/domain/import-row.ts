import type { CustomFieldDefinition } from '../../lead-schema/domain/lead-schema.types';
import type { MappedColumn } from './import-mapping';

/** A status of the catalogue, as rows name them (by name or id). */
export interface ImportStatus {
  readonly id: string;
  readonly name: string;
  readonly retired: boolean;
}

/** One row as a lead write takes it: the shape of `POST /v1/leads`'s body, plus the status text. */
export interface ImportedLeadInput {
  name?: string;
  phone?: string;
  qq?: string;
  email?: string;
  company?: string;
  title?: string;
  source?: string;
  activityId?: string;
  tags?: string[];
  statusId?: string;
  fields: Record<string, unknown>;
}

/** Separators of list cells (tags, multi-choice): comma or semicolon, ASCII or full-width. */
const LIST_SEPARATOR = /[;,；，]/;
const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const LOOSE_DATE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/;

export function splitList(cell: string): string[] {
  return cell
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function optionId(field: CustomFieldDefinition, label: string): string | null {
  const options = field.attributes.options ?? [];
  const byId = options.find((o) => o.id === label);
  if (byId) return byId.id;
  const wanted = label.normalize('NFC').toLowerCase();
  const matches = options.filter((o) => o.label.normalize('NFC').toLowerCase() === wanted);
  // a choosable option wins over a retired one with the same label
  return (matches.find((o) => !o.retired) ?? matches[0])?.id ?? null;
}

/** A cell's text as the value a custom field of that type takes over the API. */
function customValue(field: CustomFieldDefinition, cell: string): { value: unknown } | { error: string } {
  switch (field.type) {
    case 'integer':
      return INTEGER.test(cell) ? { value: Number(cell) } : { error: 'must be a whole number' };
    case 'real':
      return REAL.test(cell) ? { value: Number(cell) } : { error: 'must be a number' };
    case 'singleChoice': {
      const id = optionId(field, cell);
      return id === null ? { error: `"${cell}" is not an option of ${field.key}` } : { value: id };
    }
    case 'multiChoice': {
      const ids: string[] = [];
      for (const label of splitList(cell)) {
        const id = optionId(field, label);
        if (id === null) return { error: `"${label}" is not an option of ${field.key}` };
        if (!ids.includes(id)) ids.push(id);
      }
      return { value: ids };
    }
    case 'date': {
      const m = LOOSE_DATE.exec(cell);
      return { value: m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : cell };
    }
    case 'text':
    case 'longText':
    case 'dateTime':
    case 'image':
      return { value: cell };
    default:
      return { value: cell };
  }
}

/**
 * Turns one row's cells into the lead input a `POST /v1/leads` would carry: cells are trimmed
 * (NFC), empty cells are left out, list cells split on `,` or `;`, numbers parsed, choice labels
 * (or option ids) resolved to option ids, statuses by name or id. What cannot be read is an
 * error of its column; everything else is checked afterwards like any lead write.
 */
export function readRow(
  cells: readonly string[],
  columns: readonly MappedColumn[],
  statuses: readonly ImportStatus[],
): { readonly input: ImportedLeadInput; readonly errors: Record<string, string> } {
  const input: ImportedLeadInput = { fields: {} };
  const errors: Record<string, string> = {};
  for (const { index, column, target } of columns) {
    const raw = cells[index];
    if (raw === undefined) continue;
    const cell = raw.normalize('NFC').trim();
    if (cell.length === 0) continue;
    if (target.kind === 'custom') {
      const converted = customValue(target.field, cell);
      if ('error' in converted) errors[column] = converted.error;
      else input.fields[target.field.key] = converted.value;
      continue;
    }
    switch (target.key) {
      case 'tags':
        input.tags = splitList(cell);
        break;
      case 'activity':
        input.activityId = cell;
        break;
      case 'status': {
        const lower = cell.toLowerCase();
        const status = statuses.find((s) => s.id === cell) ?? statuses.find((s) => s.name.normalize('NFC').toLowerCase() === lower);
        if (!status) errors[column] = `"${cell}" is not a lead status of this enterprise`;
        else if (status.retired) errors[column] = `"${cell}" is retired and can no longer be assigned`;
        else input.statusId = status.id;
        break;
      }
      default:
        input[target.key] = cell;
    }
  }
  return { input, errors };
}
