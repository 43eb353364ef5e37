/**
 * LEAD-4: the lead object schema, one per enterprise. These are the shapes every part of the leads
 * service shares (lead writes, the list and its filters, views, import/export). Pure types.
 */

/** System fields: fixed; they can only be shown or hidden in the list. */
export const SYSTEM_FIELD_KEYS = [
  'name',
  'phone',
  'qq',
  'email',
  'company',
  'title',
  'source',
  'activity',
  'owner',
  'status',
  'tags',
  'score',
  'createdAt',
  'updatedAt',
] as const;
export type SystemFieldKey = (typeof SYSTEM_FIELD_KEYS)[number];

export const CUSTOM_FIELD_TYPES = ['text', 'longText', 'integer', 'real', 'singleChoice', 'multiChoice', 'date', 'dateTime', 'image'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** An option of a single- or multi-choice field. Its id never changes; the label can. */
export interface FieldOption {
  readonly id: string;
  readonly label: string;
  /** A retired option can no longer be chosen; leads that hold it keep it. */
  readonly retired: boolean;
}

/** The type-specific attributes of a custom field (only those of its type are set). */
export interface FieldAttributes {
  /** text, longText: maximum length in characters. */
  readonly maxLength?: number;
  /** integer, real: inclusive bounds. */
  readonly min?: number;
  readonly max?: number;
  /** real: digits after the decimal point (values are rounded to it). */
  readonly precision?: number;
  /** singleChoice, multiChoice: options in display order. */
  readonly options?: readonly FieldOption[];
  /** multiChoice: at most this many options. */
  readonly maxSelected?: number;
  /** date: YYYY-MM-DD inclusive bounds; dateTime: ISO-8601 instants, inclusive. */
  readonly minDate?: string;
  readonly maxDate?: string;
  /** image: largest accepted upload in bytes. */
  readonly maxBytes?: number;
}

export interface CustomFieldDefinition {
  /** Stable id (UUID); values are stored under it. */
  readonly id: string;
  /** Stable API name, unique among the enterprise's live fields: `^[a-z][a-z0-9_]{0,63}$`. */
  readonly key: string;
  readonly label: string;
  readonly type: CustomFieldType;
  readonly required: boolean;
  /** Hidden in the list by default (still readable and filterable). */
  readonly hidden: boolean;
  readonly attributes: FieldAttributes;
  /** A deleted field's values are hidden everywhere; it is kept so history stays readable. */
  readonly deleted: boolean;
}

export interface SystemFieldSetting {
  readonly key: SystemFieldKey;
  readonly hidden: boolean;
}

/** The lead object schema of one enterprise, as it stands now. */
export interface LeadSchema {
  readonly enterpriseId: string;
  readonly systemFields: readonly SystemFieldSetting[];
  /** Every custom field ever created (deleted ones flagged), in display order. */
  readonly customFields: readonly CustomFieldDefinition[];
  /** Revision of the schema stream this state was read at (-1: the empty default schema). */
  readonly revision: number;
}

/**
 * A stored custom-field value, by type:
 * text/longText → string; integer/real → number; singleChoice → option id; multiChoice → option id[];
 * date → 'YYYY-MM-DD'; dateTime → ISO-8601 UTC instant; image → asset id (UUID).
 */
export type CustomFieldValue = string | number | readonly string[];

/** Custom-field values of a lead keyed by field id. `null` in a patch clears a value. */
export type CustomFieldValues = Readonly<Record<string, CustomFieldValue>>;

export interface FieldValidationResult {
  /** Normalised values keyed by field **id** (keys of the input are field keys). */
  readonly values: Record<string, CustomFieldValue | null>;
  /** `{ 'fields.<key>': reason }`; empty when valid. */
  readonly errors: Record<string, string>;
  /** Image asset ids referenced by the values (the caller checks they exist in the tenant). */
  readonly assetIds: readonly string[];
}
