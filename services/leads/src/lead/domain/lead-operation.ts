/**
 * LEAD-6: the operations on a lead, each available single (its own route) and in batch
 * (`POST /v1/lead-batches`). Custom-field values are keyed by field key, as the API takes them.
 */
export interface LeadEdit {
  readonly name?: string | null;
  readonly phone?: string | null;
  readonly qq?: string | null;
  readonly email?: string | null;
  readonly company?: string | null;
  readonly title?: string | null;
  readonly source?: string | null;
  /** `{ <fieldKey>: value | null }`; null clears. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

export type LeadOperation =
  | { readonly kind: 'setStatus'; readonly statusId: string }
  | { readonly kind: 'changeTags'; readonly add?: readonly string[]; readonly remove?: readonly string[] }
  | { readonly kind: 'assign'; readonly ownerId: string | null }
  | { readonly kind: 'edit'; readonly changes: LeadEdit }
  | { readonly kind: 'delete' };

export type LeadOperationKind = LeadOperation['kind'];

/** The permission each operation needs (besides `leads:read`). */
export function permissionFor(operation: LeadOperation): 'leads:write' | 'leads:assign' {
  return operation.kind === 'assign' ? 'leads:assign' : 'leads:write';
}

/** What an operation did to one lead. */
export type LeadOperationOutcome = 'applied' | 'unchanged';
