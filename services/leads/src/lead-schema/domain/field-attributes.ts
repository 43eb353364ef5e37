import { DomainError } from '@leadstream/event-sourcing';
import { parseCalendarDate, parseInstant } from './field-formats';
import type { CustomFieldType, FieldAttributes } from './lead-schema.types';

/** Limits and defaults of the lead object schema (LEAD-4). */
export const LEAD_SCHEMA_LIMITS = {
  /** Live (not deleted) custom fields per enterprise. */
  maxLiveCustomFields: 1000,
  labelMaxLength: 100,
  text: { defaultMaxLength: 200, maxMaxLength: 1000 },
  longText: { defaultMaxLength: 10_000, maxMaxLength: 100_000 },
  real: { defaultPrecision: 2, maxPrecision: 10 },
  /** Options that can still be chosen (not retired), per choice field. */
  maxOptions: 500,
  optionLabelMaxLength: 100,
  image: { defaultMaxBytes: 5 * 1024 * 1024, maxMaxBytes: 10 * 1024 * 1024 },
} as const;

type AttributeName = keyof FieldAttributes;

/** The attributes each type has; a field carries only those of its type. */
export const FIELD_TYPE_ATTRIBUTES: Readonly<Record<CustomFieldType, readonly AttributeName[]>> = {
  text: ['maxLength'],
  longText: ['maxLength'],
  integer: ['min', 'max'],
  real: ['min', 'max', 'precision'],
  singleChoice: ['options'],
  multiChoice: ['options', 'maxSelected'],
  date: ['minDate', 'maxDate'],
  dateTime: ['minDate', 'maxDate'],
  image: ['maxBytes'],
};

/** Attributes without a default: `null` in an update removes them. */
const OPTIONAL: readonly AttributeName[] = ['min', 'max', 'maxSelected', 'minDate', 'maxDate'];

export type ScalarAttributes = Omit<FieldAttributes, 'options'>;

function defaults(type: CustomFieldType): ScalarAttributes {
  switch (type) {
    case 'text':
      return { maxLength: LEAD_SCHEMA_LIMITS.text.defaultMaxLength };
    case 'longText':
      return { maxLength: LEAD_SCHEMA_LIMITS.longText.defaultMaxLength };
    case 'real':
      return { precision: LEAD_SCHEMA_LIMITS.real.defaultPrecision };
    case 'image':
      return { maxBytes: LEAD_SCHEMA_LIMITS.image.defaultMaxBytes };
    default:
      return {};
  }
}

function isInteger(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Validates one attribute value for the type; answers the normalised value or an error reason. */
function checkAttribute(type: CustomFieldType, name: AttributeName, value: unknown): { value: unknown } | { error: string } {
  switch (name) {
    case 'maxLength': {
      const cap = type === 'longText' ? LEAD_SCHEMA_LIMITS.longText.maxMaxLength : LEAD_SCHEMA_LIMITS.text.maxMaxLength;
      return isInteger(value, 1, cap) ? { value } : { error: `must be an integer from 1 to ${cap}` };
    }
    case 'min':
    case 'max':
      if (type === 'integer') return typeof value === 'number' && Number.isSafeInteger(value) ? { value } : { error: 'must be a safe integer' };
      return typeof value === 'number' && Number.isFinite(value) ? { value: value === 0 ? 0 : value } : { error: 'must be a finite number' };
    case 'precision':
      return isInteger(value, 0, LEAD_SCHEMA_LIMITS.real.maxPrecision) ? { value } : { error: `must be an integer from 0 to ${LEAD_SCHEMA_LIMITS.real.maxPrecision}` };
    case 'maxSelected':
      return isInteger(value, 1, LEAD_SCHEMA_LIMITS.maxOptions) ? { value } : { error: `must be an integer from 1 to ${LEAD_SCHEMA_LIMITS.maxOptions}` };
    case 'minDate':
    case 'maxDate': {
      if (type === 'date') {
        const date = typeof value === 'string' ? parseCalendarDate(value) : null;
        return date ? { value: date } : { error: 'must be a calendar date YYYY-MM-DD' };
      }
      const instant = typeof value === 'string' ? parseInstant(value) : null;
      return instant ? { value: instant } : { error: 'must be an ISO-8601 date-time with a UTC offset, e.g. 2025-01-31T09:00:00Z' };
    }
    case 'maxBytes':
      return isInteger(value, 1, LEAD_SCHEMA_LIMITS.image.maxMaxBytes) ? { value } : { error: `must be an integer from 1 to ${LEAD_SCHEMA_LIMITS.image.maxMaxBytes} (10 MiB)` };
    case 'options':
      return { error: 'options are managed separately' };
  }
}

/**
 * The complete scalar (non-option) attributes of a field of `type`: `input` applied over `base`
 * (the field's current attributes on an update, nothing on a create) and the type's defaults.
 * In an update, `null` removes an optional attribute and resets one with a default. Attributes of
 * another type, unknown names, bad values and `min > max` are refused, each under
 * `attributes.<name>`. `options` is left to the caller (`allowOptions`: present on a create).
 */
export function resolveScalarAttributes(
  type: CustomFieldType,
  input: Readonly<Record<string, unknown>>,
  base: ScalarAttributes | null,
  allowOptions: boolean,
): ScalarAttributes {
  const own = FIELD_TYPE_ATTRIBUTES[type];
  const errors: Record<string, string> = {};
  const result: Record<string, unknown> = { ...defaults(type), ...(base ?? {}) };
  for (const [name, value] of Object.entries(input)) {
    const field = `attributes.${name}`;
    if (!(own as readonly string[]).includes(name)) {
      errors[field] = `is not an attribute of a ${type} field (its attributes: ${own.join(', ')})`;
      continue;
    }
    const attribute = name as AttributeName;
    if (attribute === 'options') {
      if (!allowOptions) errors[field] = 'options are changed one by one through the option routes of the field';
      continue;
    }
    if (value === null || value === undefined) {
      if (base === null && value === null && !OPTIONAL.includes(attribute)) {
        errors[field] = 'must not be null';
      } else {
        delete result[attribute];
        Object.assign(result, Object.fromEntries(Object.entries(defaults(type)).filter(([k]) => k === attribute)));
      }
      continue;
    }
    const checked = checkAttribute(type, attribute, value);
    if ('error' in checked) errors[field] = checked.error;
    else result[attribute] = checked.value;
  }
  if (Object.keys(errors).length === 0) {
    const { min, max, minDate, maxDate } = result as ScalarAttributes;
    if (min !== undefined && max !== undefined && min > max) errors['attributes.min'] = 'must not be greater than attributes.max';
    if (minDate !== undefined && maxDate !== undefined && minDate > maxDate) errors['attributes.minDate'] = 'must not be later than attributes.maxDate';
  }
  if (Object.keys(errors).length > 0) {
    throw new DomainError('invalid', 'leads.invalid-field-attributes', `The attributes are not valid for a ${type} field.`, errors);
  }
  // a stable order of the keys keeps events and answers comparable
  const ordered: Record<string, unknown> = {};
  for (const name of own) if (result[name] !== undefined) ordered[name] = result[name];
  return ordered;
}
