import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import { LEAD_SCHEMA_LIMITS, resolveScalarAttributes, type ScalarAttributes } from './field-attributes';
import { characterLength, cleanText } from './field-formats';
import type { LeadSchemaEvent } from './lead-schema.events';
import {
  CUSTOM_FIELD_TYPES,
  SYSTEM_FIELD_KEYS,
  type CustomFieldDefinition,
  type CustomFieldType,
  type FieldAttributes,
  type FieldOption,
  type LeadSchema,
  type SystemFieldKey,
  type SystemFieldSetting,
} from './lead-schema.types';

/** The schema as the decider folds it; `LeadSchema` adds the enterprise and the stream revision. */
export type LeadSchemaState = Pick<LeadSchema, 'systemFields' | 'customFields'>;

/** Display labels of the system fields (the keys are the API names). */
export const SYSTEM_FIELD_LABELS: Readonly<Record<SystemFieldKey, string>> = {
  name: 'Name',
  phone: 'Phone',
  qq: 'QQ',
  email: 'E-mail',
  company: 'Company',
  title: 'Job title',
  source: 'Source',
  activity: 'Activity',
  owner: 'Owner',
  status: 'Status',
  tags: 'Tags',
  score: 'Score',
  createdAt: 'Created at',
  updatedAt: 'Updated at',
};

/** Keys no custom field may take besides the system field keys (compared case-insensitively). */
export const RESERVED_FIELD_KEYS: readonly string[] = ['id', 'fields'];

export const CUSTOM_FIELD_KEY_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/** Attributes as they come in: validated per type by the decider (options carry ids chosen by the caller). */
export type RawAttributes = Readonly<Record<string, unknown>>;

export type LeadSchemaCommand =
  | {
      readonly kind: 'CreateCustomField';
      readonly fieldId: string;
      readonly key: string;
      readonly label: string;
      readonly type: string;
      readonly required: boolean;
      readonly hidden: boolean;
      /** For choice fields `options: [{ id, label }]`. */
      readonly attributes: RawAttributes;
    }
  | {
      readonly kind: 'UpdateCustomField';
      readonly fieldId: string;
      readonly label?: string;
      readonly required?: boolean;
      readonly hidden?: boolean;
      readonly attributes?: RawAttributes;
      /** Never change: given only to be refused when they differ. */
      readonly key?: string;
      readonly type?: string;
    }
  | { readonly kind: 'DeleteCustomField'; readonly fieldId: string }
  | { readonly kind: 'ReorderCustomFields'; readonly fieldIds: readonly string[] }
  | { readonly kind: 'SetSystemFieldVisibility'; readonly key: string; readonly hidden: boolean }
  | { readonly kind: 'AddFieldOption'; readonly fieldId: string; readonly optionId: string; readonly label: string }
  | { readonly kind: 'RenameFieldOption'; readonly fieldId: string; readonly optionId: string; readonly label: string }
  | { readonly kind: 'ReorderFieldOptions'; readonly fieldId: string; readonly optionIds: readonly string[] }
  | { readonly kind: 'RetireFieldOption'; readonly fieldId: string; readonly optionId: string };

export function defaultLeadSchemaState(): LeadSchemaState {
  return { systemFields: SYSTEM_FIELD_KEYS.map((key) => ({ key, hidden: false })), customFields: [] };
}

export function defaultLeadSchema(enterpriseId: string): LeadSchema {
  return { enterpriseId, ...defaultLeadSchemaState(), revision: -1 };
}

/** The system field with this key, compared case-insensitively. */
export function systemFieldKeyOf(key: string): SystemFieldKey | undefined {
  const lower = key.toLowerCase();
  return SYSTEM_FIELD_KEYS.find((k) => k.toLowerCase() === lower);
}

export function liveCustomFields(state: LeadSchemaState): CustomFieldDefinition[] {
  return state.customFields.filter((f) => !f.deleted);
}

const isChoice = (type: CustomFieldType): boolean => type === 'singleChoice' || type === 'multiChoice';

function invalid(code: string, message: string, fields: Record<string, string>): DomainError {
  return new DomainError('invalid', code, message, fields);
}

function cleanLabel(label: unknown, field: string, max: number): string {
  const cleaned = typeof label === 'string' ? cleanText(label) : '';
  const length = characterLength(cleaned);
  if (length < 1 || length > max) throw invalid('leads.invalid-field-label', 'The label is not valid.', { [field]: `must be 1-${max} characters` });
  return cleaned;
}

function refuseSystemField(fieldId: string): void {
  const system = systemFieldKeyOf(fieldId);
  if (system) {
    throw invalid('leads.system-field-fixed', `"${system}" is a system field: it cannot be created, changed or deleted, only shown or hidden.`, {
      id: `${system} is a system field: it can only be shown or hidden (PUT /v1/lead-schema/system-fields/${system})`,
    });
  }
}

function findLiveField(state: LeadSchemaState, fieldId: string): CustomFieldDefinition {
  refuseSystemField(fieldId);
  const field = state.customFields.find((f) => f.id === fieldId && !f.deleted);
  if (!field) throw new DomainError('not_found', 'leads.custom-field-not-found', `Custom field ${fieldId} was not found.`);
  return field;
}

function findChoiceField(state: LeadSchemaState, fieldId: string): CustomFieldDefinition & { attributes: { options: readonly FieldOption[] } } {
  const field = findLiveField(state, fieldId);
  if (!isChoice(field.type)) {
    throw invalid('leads.field-has-no-options', `Custom field ${field.key} is a ${field.type} field: only choice fields have options.`, {
      id: `is a ${field.type} field; only singleChoice and multiChoice fields have options`,
    });
  }
  return field as CustomFieldDefinition & { attributes: { options: readonly FieldOption[] } };
}

function findOption(field: { attributes: { options: readonly FieldOption[] } }, optionId: string): FieldOption {
  const option = field.attributes.options.find((o) => o.id === optionId);
  if (!option) throw new DomainError('not_found', 'leads.field-option-not-found', `Option ${optionId} was not found.`);
  return option;
}

function assertUniqueOptionLabel(options: readonly FieldOption[], label: string, exceptId: string | null, field: string): void {
  const lower = label.toLocaleLowerCase();
  if (options.some((o) => !o.retired && o.id !== exceptId && o.label.toLocaleLowerCase() === lower)) {
    throw new DomainError('conflict', 'leads.field-option-label-taken', `An option labelled "${label}" already exists.`, { [field]: 'is already used by another option of the field' });
  }
}

function checkKey(state: LeadSchemaState, key: unknown): string {
  if (typeof key !== 'string' || !CUSTOM_FIELD_KEY_PATTERN.test(key)) {
    throw invalid('leads.invalid-field-key', 'The key is not valid.', { key: 'must match ^[a-z][a-z0-9_]{0,63}$ (a lower-case letter, then lower-case letters, digits or _)' });
  }
  const system = systemFieldKeyOf(key);
  if (system) {
    throw invalid('leads.system-field-fixed', `"${system}" is a system field: system fields cannot be created.`, { key: `is the key of the system field ${system}; system fields cannot be created` });
  }
  if (RESERVED_FIELD_KEYS.includes(key.toLowerCase())) throw invalid('leads.reserved-field-key', `"${key}" is reserved.`, { key: 'is reserved' });
  if (state.customFields.some((f) => !f.deleted && f.key.toLowerCase() === key.toLowerCase())) {
    throw new DomainError('conflict', 'leads.field-key-taken', `A custom field with key "${key}" already exists.`, { key: 'is already used by another custom field' });
  }
  return key;
}

function checkInitialOptions(raw: unknown): FieldOption[] {
  const field = 'attributes.options';
  const max = LEAD_SCHEMA_LIMITS.maxOptions;
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > max) {
    throw invalid('leads.invalid-field-attributes', 'The options are not valid.', { [field]: `must be a list of 1-${max} options { label }` });
  }
  const options: FieldOption[] = [];
  for (const [i, item] of (raw as unknown[]).entries()) {
    const entry = item as { id?: unknown; label?: unknown } | null;
    if (typeof entry !== 'object' || entry === null || typeof entry.id !== 'string' || entry.id.length === 0) {
      throw invalid('leads.invalid-field-attributes', 'The options are not valid.', { [field]: `item ${i} must be an option { label }` });
    }
    const label = cleanLabel(entry.label, field, LEAD_SCHEMA_LIMITS.optionLabelMaxLength);
    if (options.some((o) => o.id === entry.id)) throw invalid('leads.invalid-field-attributes', 'The options are not valid.', { [field]: `item ${i} repeats an option id` });
    if (options.some((o) => o.label.toLocaleLowerCase() === label.toLocaleLowerCase())) {
      throw invalid('leads.invalid-field-attributes', 'The options are not valid.', { [field]: `item ${i}: the label "${label}" is used twice (labels are unique, case-insensitively)` });
    }
    options.push({ id: entry.id, label, retired: false });
  }
  return options;
}

function sameScalarAttributes(a: ScalarAttributes, b: ScalarAttributes): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k as keyof ScalarAttributes] === b[k as keyof ScalarAttributes]);
}

function scalarOf(attributes: FieldAttributes): ScalarAttributes {
  const { options: _options, ...scalar } = attributes;
  return scalar;
}

/** `given` lists exactly the ids of `current`, each once (in any order). */
function sameSet(given: unknown, current: readonly string[]): given is readonly string[] {
  if (!Array.isArray(given)) return false;
  const ids: unknown[] = given;
  return ids.length === current.length && new Set(ids).size === ids.length && ids.every((id) => typeof id === 'string' && current.includes(id));
}

function decide(command: LeadSchemaCommand, state: LeadSchemaState): LeadSchemaEvent[] {
  switch (command.kind) {
    case 'CreateCustomField': {
      const errors: Record<string, string> = {};
      if (!(CUSTOM_FIELD_TYPES as readonly string[]).includes(command.type)) errors['type'] = `must be one of ${CUSTOM_FIELD_TYPES.join(', ')}`;
      if (typeof command.required !== 'boolean') errors['required'] = 'must be a boolean';
      if (typeof command.hidden !== 'boolean') errors['hidden'] = 'must be a boolean';
      if (Object.keys(errors).length > 0) throw invalid('leads.invalid-custom-field', 'The custom field is not valid.', errors);
      const type = command.type as CustomFieldType;
      const key = checkKey(state, command.key);
      const label = cleanLabel(command.label, 'label', LEAD_SCHEMA_LIMITS.labelMaxLength);
      if (state.customFields.some((f) => f.id === command.fieldId)) throw new DomainError('conflict', 'leads.custom-field-exists', 'The custom field already exists.');
      const max = LEAD_SCHEMA_LIMITS.maxLiveCustomFields;
      if (liveCustomFields(state).length >= max) {
        throw new DomainError('conflict', 'leads.custom-field-limit', `An enterprise can have at most ${max} custom fields; delete one first.`, { key: `no room: the schema already has ${max} custom fields` });
      }
      const raw = command.attributes ?? {};
      const attributes: FieldAttributes = resolveScalarAttributes(type, raw, null, true);
      const withOptions: FieldAttributes = isChoice(type) ? { options: checkInitialOptions(raw['options']), ...attributes } : attributes;
      return [{ type: 'leads.CustomFieldCreated', data: { fieldId: command.fieldId, key, label, type, required: command.required, hidden: command.hidden, attributes: withOptions } }];
    }
    case 'UpdateCustomField': {
      const field = findLiveField(state, command.fieldId);
      const errors: Record<string, string> = {};
      if (command.key !== undefined && command.key !== field.key) errors['key'] = 'cannot be changed: delete the field and create a new one';
      if (command.type !== undefined && command.type !== field.type) errors['type'] = 'cannot be changed: delete the field and create a new one';
      if (command.required !== undefined && typeof command.required !== 'boolean') errors['required'] = 'must be a boolean';
      if (command.hidden !== undefined && typeof command.hidden !== 'boolean') errors['hidden'] = 'must be a boolean';
      if (Object.keys(errors).length > 0) throw invalid('leads.custom-field-fixed', 'The key and the type of a custom field never change.', errors);
      const change: { -readonly [K in keyof Extract<LeadSchemaEvent, { type: 'leads.CustomFieldUpdated' }>['data']]: Extract<LeadSchemaEvent, { type: 'leads.CustomFieldUpdated' }>['data'][K] } = { fieldId: field.id };
      if (command.label !== undefined) {
        const label = cleanLabel(command.label, 'label', LEAD_SCHEMA_LIMITS.labelMaxLength);
        if (label !== field.label) change.label = label;
      }
      if (command.required !== undefined && command.required !== field.required) change.required = command.required;
      if (command.hidden !== undefined && command.hidden !== field.hidden) change.hidden = command.hidden;
      if (command.attributes !== undefined) {
        const current = scalarOf(field.attributes);
        const next = resolveScalarAttributes(field.type, command.attributes, current, false);
        if (!sameScalarAttributes(current, next)) change.attributes = next;
      }
      return Object.keys(change).length > 1 ? [{ type: 'leads.CustomFieldUpdated', data: change }] : [];
    }
    case 'DeleteCustomField': {
      const field = findLiveField(state, command.fieldId);
      return [{ type: 'leads.CustomFieldDeleted', data: { fieldId: field.id } }];
    }
    case 'ReorderCustomFields': {
      const current = liveCustomFields(state).map((f) => f.id);
      if (!sameSet(command.fieldIds, current)) {
        throw invalid('leads.invalid-field-order', 'The new order must list every custom field exactly once.', { fieldIds: 'must list the id of every custom field (deleted ones excepted) exactly once' });
      }
      if (command.fieldIds.every((id, i) => current[i] === id)) return [];
      return [{ type: 'leads.CustomFieldsReordered', data: { fieldIds: [...command.fieldIds] } }];
    }
    case 'SetSystemFieldVisibility': {
      const key = SYSTEM_FIELD_KEYS.find((k) => k === command.key);
      if (!key) throw new DomainError('not_found', 'leads.system-field-not-found', `"${command.key}" is not a system field (system fields: ${SYSTEM_FIELD_KEYS.join(', ')}).`);
      if (typeof command.hidden !== 'boolean') throw invalid('leads.invalid-visibility', 'hidden must be a boolean.', { hidden: 'must be a boolean' });
      const setting = state.systemFields.find((s) => s.key === key);
      if (setting?.hidden === command.hidden) return [];
      return [{ type: 'leads.SystemFieldVisibilityChanged', data: { key, hidden: command.hidden } }];
    }
    case 'AddFieldOption': {
      const field = findChoiceField(state, command.fieldId);
      const label = cleanLabel(command.label, 'label', LEAD_SCHEMA_LIMITS.optionLabelMaxLength);
      const options = field.attributes.options;
      if (options.some((o) => o.id === command.optionId)) throw new DomainError('conflict', 'leads.field-option-exists', 'The option already exists.');
      assertUniqueOptionLabel(options, label, null, 'label');
      const max = LEAD_SCHEMA_LIMITS.maxOptions;
      if (options.filter((o) => !o.retired).length >= max) {
        throw new DomainError('conflict', 'leads.field-option-limit', `A choice field can have at most ${max} options that are not retired.`, { label: `no room: the field already has ${max} options` });
      }
      return [{ type: 'leads.FieldOptionAdded', data: { fieldId: field.id, optionId: command.optionId, label } }];
    }
    case 'RenameFieldOption': {
      const field = findChoiceField(state, command.fieldId);
      const option = findOption(field, command.optionId);
      const label = cleanLabel(command.label, 'label', LEAD_SCHEMA_LIMITS.optionLabelMaxLength);
      if (label === option.label) return [];
      if (!option.retired) assertUniqueOptionLabel(field.attributes.options, label, option.id, 'label');
      return [{ type: 'leads.FieldOptionRenamed', data: { fieldId: field.id, optionId: option.id, label } }];
    }
    case 'ReorderFieldOptions': {
      const field = findChoiceField(state, command.fieldId);
      const current = field.attributes.options.map((o) => o.id);
      if (!sameSet(command.optionIds, current)) {
        throw invalid('leads.invalid-option-order', 'The new order must list every option exactly once.', { optionIds: 'must list the id of every option of the field (retired ones included) exactly once' });
      }
      if (command.optionIds.every((id, i) => current[i] === id)) return [];
      return [{ type: 'leads.FieldOptionsReordered', data: { fieldId: field.id, optionIds: [...command.optionIds] } }];
    }
    case 'RetireFieldOption': {
      const field = findChoiceField(state, command.fieldId);
      const option = findOption(field, command.optionId);
      if (option.retired) return [];
      if (field.attributes.options.filter((o) => !o.retired).length <= 1) {
        throw new DomainError('conflict', 'leads.last-field-option', 'The last option that can be chosen cannot be retired; add another one first.', { optionId: 'is the last option of the field that is not retired' });
      }
      return [{ type: 'leads.FieldOptionRetired', data: { fieldId: field.id, optionId: option.id } }];
    }
    default:
      return assertNever(command);
  }
}

function updateField(state: LeadSchemaState, fieldId: string, change: (field: CustomFieldDefinition) => CustomFieldDefinition): LeadSchemaState {
  return { ...state, customFields: state.customFields.map((f) => (f.id === fieldId ? change(f) : f)) };
}

function updateOptions(state: LeadSchemaState, fieldId: string, change: (options: readonly FieldOption[]) => readonly FieldOption[]): LeadSchemaState {
  return updateField(state, fieldId, (f) => ({ ...f, attributes: { ...f.attributes, options: change(f.attributes.options ?? []) } }));
}

function evolve(state: LeadSchemaState, event: LeadSchemaEvent): LeadSchemaState {
  switch (event.type) {
    case 'leads.CustomFieldCreated': {
      const { fieldId, ...definition } = event.data;
      return { ...state, customFields: [...state.customFields, { id: fieldId, ...definition, deleted: false }] };
    }
    case 'leads.CustomFieldUpdated': {
      const { fieldId, attributes, ...rest } = event.data;
      return updateField(state, fieldId, (f) => ({
        ...f,
        ...rest,
        attributes: attributes === undefined ? f.attributes : f.attributes.options === undefined ? { ...attributes } : { options: f.attributes.options, ...attributes },
      }));
    }
    case 'leads.CustomFieldDeleted':
      return updateField(state, event.data.fieldId, (f) => ({ ...f, deleted: true }));
    case 'leads.CustomFieldsReordered': {
      const byId = new Map(state.customFields.map((f) => [f.id, f]));
      const ordered = event.data.fieldIds.map((id) => byId.get(id)).filter((f): f is CustomFieldDefinition => f !== undefined);
      const placed = new Set(ordered.map((f) => f.id));
      return { ...state, customFields: [...ordered, ...state.customFields.filter((f) => !placed.has(f.id))] };
    }
    case 'leads.SystemFieldVisibilityChanged':
      return { ...state, systemFields: state.systemFields.map((s): SystemFieldSetting => (s.key === event.data.key ? { ...s, hidden: event.data.hidden } : s)) };
    case 'leads.FieldOptionAdded':
      return updateOptions(state, event.data.fieldId, (options) => [...options, { id: event.data.optionId, label: event.data.label, retired: false }]);
    case 'leads.FieldOptionRenamed':
      return updateOptions(state, event.data.fieldId, (options) => options.map((o) => (o.id === event.data.optionId ? { ...o, label: event.data.label } : o)));
    case 'leads.FieldOptionsReordered':
      return updateOptions(state, event.data.fieldId, (options) => {
        const byId = new Map(options.map((o) => [o.id, o]));
        const ordered = event.data.optionIds.map((id) => byId.get(id)).filter((o): o is FieldOption => o !== undefined);
        const placed = new Set(ordered.map((o) => o.id));
        return [...ordered, ...options.filter((o) => !placed.has(o.id))];
      });
    case 'leads.FieldOptionRetired':
      return updateOptions(state, event.data.fieldId, (options) => options.map((o) => (o.id === event.data.optionId ? { ...o, retired: true } : o)));
    default:
      return assertNever(event);
  }
}

/**
 * LEAD-4: an enterprise's lead object schema, one stream per enterprise. System fields are fixed and
 * can only be shown or hidden; custom fields are created, edited (never their key or type), reordered
 * and deleted. A deleted field stays in the state flagged `deleted` (its values stay hidden) and its key
 * becomes free for a new field with a new id. An empty stream is the default schema.
 */
export const leadSchemaDecider: Decider<LeadSchemaCommand, LeadSchemaEvent, LeadSchemaState> = {
  initialState: defaultLeadSchemaState,
  evolve,
  decide,
};
