import type { DomainEvent } from '@leadstream/event-sourcing';
import type { CustomFieldType, FieldAttributes, SystemFieldKey } from './lead-schema.types';

/** One stream per enterprise: `leads.leadschema-<enterpriseId>`. */
export const LEAD_SCHEMA_CATEGORY = 'leads.leadschema';

/** `attributes` are stored complete: every attribute of the type, defaults filled in. */
export type CustomFieldCreated = DomainEvent<
  'leads.CustomFieldCreated',
  {
    readonly fieldId: string;
    readonly key: string;
    readonly label: string;
    readonly type: CustomFieldType;
    readonly required: boolean;
    readonly hidden: boolean;
    readonly attributes: FieldAttributes;
  }
>;
/** Only the properties that changed are present; `attributes` (when present) is the complete new set, options excluded. */
export type CustomFieldUpdated = DomainEvent<
  'leads.CustomFieldUpdated',
  {
    readonly fieldId: string;
    readonly label?: string;
    readonly required?: boolean;
    readonly hidden?: boolean;
    readonly attributes?: Omit<FieldAttributes, 'options'>;
  }
>;
export type CustomFieldDeleted = DomainEvent<'leads.CustomFieldDeleted', { readonly fieldId: string }>;
/** Every live field, in the new order (deleted fields keep their place after the live ones). */
export type CustomFieldsReordered = DomainEvent<'leads.CustomFieldsReordered', { readonly fieldIds: readonly string[] }>;
export type SystemFieldVisibilityChanged = DomainEvent<'leads.SystemFieldVisibilityChanged', { readonly key: SystemFieldKey; readonly hidden: boolean }>;
export type FieldOptionAdded = DomainEvent<'leads.FieldOptionAdded', { readonly fieldId: string; readonly optionId: string; readonly label: string }>;
export type FieldOptionRenamed = DomainEvent<'leads.FieldOptionRenamed', { readonly fieldId: string; readonly optionId: string; readonly label: string }>;
/** Every option of the field (retired ones included), in the new order. */
export type FieldOptionsReordered = DomainEvent<'leads.FieldOptionsReordered', { readonly fieldId: string; readonly optionIds: readonly string[] }>;
export type FieldOptionRetired = DomainEvent<'leads.FieldOptionRetired', { readonly fieldId: string; readonly optionId: string }>;

export type LeadSchemaEvent =
  | CustomFieldCreated
  | CustomFieldUpdated
  | CustomFieldDeleted
  | CustomFieldsReordered
  | SystemFieldVisibilityChanged
  | FieldOptionAdded
  | FieldOptionRenamed
  | FieldOptionsReordered
  | FieldOptionRetired;

export const LEAD_SCHEMA_EVENT_TYPES: readonly LeadSchemaEvent['type'][] = [
  'leads.CustomFieldCreated',
  'leads.CustomFieldUpdated',
  'leads.CustomFieldDeleted',
  'leads.CustomFieldsReordered',
  'leads.SystemFieldVisibilityChanged',
  'leads.FieldOptionAdded',
  'leads.FieldOptionRenamed',
  'leads.FieldOptionsReordered',
  'leads.FieldOptionRetired',
];
