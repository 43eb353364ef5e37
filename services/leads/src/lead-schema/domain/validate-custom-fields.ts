import { characterLength, cleanText, isUuid, parseCalendarDate, parseInstant, roundToPrecision } from './field-formats';
import type { CustomFieldDefinition, CustomFieldValue, CustomFieldValues, FieldValidationResult, LeadSchema } from './lead-schema.types';

const NOT_A_FIELD = 'is not a field of the lead schema';

/** The live (not deleted) custom field with this key, if any. */
export function liveCustomField(schema: Pick<LeadSchema, 'customFields'>, key: string): CustomFieldDefinition | undefined {
  return schema.customFields.find((f) => !f.deleted && f.key === key);
}

type Checked = { readonly value: CustomFieldValue | null } | { readonly error: string };

function optionIdsOf(field: CustomFieldDefinition): Map<string, boolean> {
  return new Map((field.attributes.options ?? []).map((o) => [o.id, o.retired]));
}

/**
 * One value against its field. `null` stands for "no value" (an empty string, an empty list).
 * `current` is the value the lead holds now (patch), which keeps a retired option choosable.
 */
function checkValue(field: CustomFieldDefinition, raw: unknown, current: CustomFieldValue | undefined): Checked {
  const a = field.attributes;
  switch (field.type) {
    case 'text':
    case 'longText': {
      if (typeof raw !== 'string') return { error: 'must be a string' };
      const text = cleanText(raw);
      if (text === '') return { value: null };
      const max = a.maxLength ?? Number.POSITIVE_INFINITY;
      return characterLength(text) > max ? { error: `must be at most ${max} characters` } : { value: text };
    }
    case 'integer': {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) return { error: 'must be an integer (a JSON number)' };
      return withinBounds(raw === 0 ? 0 : raw, a.min, a.max);
    }
    case 'real': {
      if (typeof raw !== 'number' || !Number.isFinite(raw)) return { error: 'must be a number' };
      return withinBounds(roundToPrecision(raw, a.precision ?? 10), a.min, a.max);
    }
    case 'singleChoice': {
      if (typeof raw !== 'string') return { error: 'must be an option id' };
      const options = optionIdsOf(field);
      const retired = options.get(raw);
      if (retired === undefined) return { error: 'is not an option of the field' };
      if (retired && current !== raw) return { error: 'is a retired option: it can no longer be chosen' };
      return { value: raw };
    }
    case 'multiChoice': {
      if (!Array.isArray(raw) || raw.some((v) => typeof v !== 'string')) return { error: 'must be a list of option ids' };
      const ids = raw as string[];
      if (ids.length === 0) return { value: null };
      if (new Set(ids).size !== ids.length) return { error: 'must not repeat an option' };
      if (a.maxSelected !== undefined && ids.length > a.maxSelected) return { error: `must hold at most ${a.maxSelected} options` };
      const options = optionIdsOf(field);
      const held = new Set(Array.isArray(current) ? current : []);
      for (const id of ids) {
        const retired = options.get(id);
        if (retired === undefined) return { error: `${id} is not an option of the field` };
        if (retired && !held.has(id)) return { error: `${id} is a retired option: it can no longer be chosen` };
      }
      return { value: [...ids] };
    }
    case 'date': {
      const date = typeof raw === 'string' ? parseCalendarDate(raw) : null;
      if (!date) return { error: 'must be a calendar date YYYY-MM-DD' };
      if (a.minDate !== undefined && date < a.minDate) return { error: `must not be before ${a.minDate}` };
      if (a.maxDate !== undefined && date > a.maxDate) return { error: `must not be after ${a.maxDate}` };
      return { value: date };
    }
    case 'dateTime': {
      const instant = typeof raw === 'string' ? parseInstant(raw) : null;
      if (!instant) return { error: 'must be an ISO-8601 date-time with a UTC offset, e.g. 2025-01-31T09:00:00+08:00' };
      if (a.minDate !== undefined && instant < a.minDate) return { error: `must not be before ${a.minDate}` };
      if (a.maxDate !== undefined && instant > a.maxDate) return { error: `must not be after ${a.maxDate}` };
      return { value: instant };
    }
    case 'image':
      if (typeof raw !== 'string' || !isUuid(raw)) return { error: 'must be the id (UUID) of an uploaded image' };
      return { value: raw.toLowerCase() };
  }
}

function withinBounds(value: number, min: number | undefined, max: number | undefined): Checked {
  if (min !== undefined && value < min) return { error: `must be at least ${min}` };
  if (max !== undefined && value > max) return { error: `must be at most ${max}` };
  return { value };
}

/**
 * Checks and normalises a lead's custom-field input (keyed by field **key**) against the schema;
 * the values come back keyed by field **id**, the errors keyed `fields.<key>`.
 *
 * - `create`: every required live field needs a value; fields without a value are left out.
 * - `patch`: only the given keys change; `null` (or an empty string / empty list) clears a value
 *   (answered as `null`), which a required field refuses. `current` (the lead's stored values, by
 *   id) lets a lead keep a retired option it already holds; a retired option is never newly chosen.
 *
 * Unknown keys, keys of deleted fields and system field keys are errors ('is not a field of the lead
 * schema'). Image values are listed in `assetIds` for the caller to check in the tenant.
 */
export function validateCustomFields(
  schema: Pick<LeadSchema, 'customFields'>,
  input: Readonly<Record<string, unknown>>,
  mode: 'create' | 'patch',
  current: CustomFieldValues = {},
): FieldValidationResult {
  const values: Record<string, CustomFieldValue | null> = {};
  const errors: Record<string, string> = {};
  const assetIds: string[] = [];
  const live = new Map(schema.customFields.filter((f) => !f.deleted).map((f) => [f.key, f]));

  for (const [key, raw] of Object.entries(input)) {
    const field = live.get(key);
    if (!field) {
      errors[`fields.${key}`] = NOT_A_FIELD;
      continue;
    }
    const checked: Checked = raw === null || raw === undefined ? { value: null } : checkValue(field, raw, current[field.id]);
    if ('error' in checked) {
      errors[`fields.${key}`] = checked.error;
    } else if (checked.value === null) {
      if (field.required) errors[`fields.${key}`] = mode === 'patch' ? 'is required: it cannot be cleared' : 'is required';
      else if (mode === 'patch') values[field.id] = null;
    } else {
      values[field.id] = checked.value;
      if (field.type === 'image') assetIds.push(checked.value as string);
    }
  }

  if (mode === 'create') {
    for (const field of live.values()) {
      if (field.required && !(field.key in input) && errors[`fields.${field.key}`] === undefined) errors[`fields.${field.key}`] = 'is required';
    }
  }
  return { values, errors, assetIds };
}

/**
 * The custom fields of a stored lead as the API shows them: keyed by field key, in schema order,
 * values of deleted or unknown fields dropped. This is what hides a deleted field's values everywhere.
 */
export function customFieldsView(schema: Pick<LeadSchema, 'customFields'>, stored: CustomFieldValues): Record<string, CustomFieldValue> {
  const view: Record<string, CustomFieldValue> = {};
  for (const field of schema.customFields) {
    if (field.deleted) continue;
    const value = stored[field.id];
    if (value !== undefined && value !== null) view[field.key] = value;
  }
  return view;
}
