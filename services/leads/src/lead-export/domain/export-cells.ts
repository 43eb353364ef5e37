/**
 * LEAD-8: how a lead's values appear in an exported file — as a user sees them in the list, never
 * as formulas. Pure: the schema, the status names, the member names and the time zone are given.
 *
 * - Text of any origin (system and custom text fields, option labels, status and member names,
 *   tags) is a string cell. One starting with `=`, `+`, `-`, `@`, a tab or a carriage return is
 *   prefixed with a single quote (OWASP "CSV injection"), so no spreadsheet runs it as a formula.
 * - Numbers of number fields (integer, real, `score`) are number cells and are left as they are:
 *   `-5` in an integer field is the number −5; `-5` typed into a text field is the text `'-5`.
 * - Choices show their labels (retired options too), several joined with `; `; the status its
 *   name, the owner the member's name; date-times are wall-clock time in the enterprise's time
 *   zone (`YYYY-MM-DD HH:mm:ss`); dates stay `YYYY-MM-DD`; images are the asset's URL path.
 * - No value is an empty cell.
 */
import { SLOT_MS, zoneOffsetMs } from '../../lead-overview/domain/time-zone-days';
import type { CustomFieldDefinition, SystemFieldKey } from '../../lead-schema/domain/lead-schema.types';

export type ExportCell = string | number | null;

/** Joins the values of a multi-value cell (multi-choice labels, tags). */
export const LIST_SEPARATOR = '; ';

const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

/** A text cell a spreadsheet shows as text, never evaluates. */
export function neutralise(text: string): string {
  return text.length > 0 && FORMULA_TRIGGERS.has(text[0]!) ? `'${text}` : text;
}

/** A stored text value as a cell: no value (null, missing, empty) is an empty cell. */
export function textCell(value: unknown): ExportCell {
  if (typeof value !== 'string' || value.length === 0) return null;
  return neutralise(value);
}

export function numberCell(value: unknown): ExportCell {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * Instants as wall-clock time of one time zone. Every zone's offset is a multiple of 15 minutes
 * (see time-zone-days), so the offset is looked up once per 15-minute UTC slot and remembered:
 * a million timestamps cost a few thousand Intl calls, not a million.
 */
export class WallClock {
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {}

  /** `YYYY-MM-DD HH:mm:ss` in the zone; null for no value or an unreadable one. */
  format(iso: unknown): string | null {
    if (typeof iso !== 'string' || iso.length === 0) return null;
    const ms = Date.parse(iso);
    if (Number.isNaN(ms)) return null;
    const slot = Math.floor(ms / SLOT_MS);
    let offset = this.offsets.get(slot);
    if (offset === undefined) {
      if (this.offsets.size >= 100_000) this.offsets.clear();
      offset = zoneOffsetMs(slot * SLOT_MS, this.timeZone);
      this.offsets.set(slot, offset);
    }
    const local = new Date(ms + offset);
    const year = String(local.getUTCFullYear()).padStart(4, '0');
    return `${year}-${two(local.getUTCMonth() + 1)}-${two(local.getUTCDate())} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}:${two(local.getUTCSeconds())}`;
  }
}

/** What a cell renderer reads of a lead (the lead list document's shape). */
export interface ExportedLead {
  readonly _id: string;
  readonly [key: string]: unknown;
}

export interface ExportContext {
  /** Status id → name (retired statuses included). */
  readonly statusNames: ReadonlyMap<string, string>;
  /** Member id → how the member is shown. */
  readonly memberNames: ReadonlyMap<string, string>;
  readonly clock: WallClock;
}

/** A column of the file: a system field, the lead id, or a live custom field. */
export type ExportColumnSpec =
  | { readonly kind: 'id' }
  | { readonly kind: 'system'; readonly key: SystemFieldKey }
  | { readonly kind: 'custom'; readonly field: CustomFieldDefinition };

export type CellRenderer = (lead: ExportedLead) => ExportCell;

function joined(values: readonly string[]): ExportCell {
  return values.length === 0 ? null : neutralise(values.join(LIST_SEPARATOR));
}

function systemRenderer(key: SystemFieldKey, ctx: ExportContext): CellRenderer {
  switch (key) {
    case 'name':
    case 'phone':
    case 'qq':
    case 'email':
    case 'company':
    case 'title':
    case 'source':
      return (lead) => textCell(lead[key]);
    case 'activity':
      return (lead) => textCell(lead['activityId']);
    case 'owner':
      return (lead) => {
        const id = lead['ownerId'];
        return typeof id === 'string' ? neutralise(ctx.memberNames.get(id) ?? id) : null;
      };
    case 'status':
      return (lead) => {
        const id = lead['statusId'];
        return typeof id === 'string' ? neutralise(ctx.statusNames.get(id) ?? id) : null;
      };
    case 'tags':
      return (lead) => {
        const tags = lead['tags'];
        return Array.isArray(tags) ? joined(tags.filter((t): t is string => typeof t === 'string')) : null;
      };
    case 'score':
      return (lead) => numberCell(lead['score']);
    case 'createdAt':
    case 'updatedAt':
      return (lead) => ctx.clock.format(lead[key]);
  }
}

function customRenderer(field: CustomFieldDefinition, ctx: ExportContext): CellRenderer {
  const value = (lead: ExportedLead): unknown => (lead['fields'] as Record<string, unknown> | undefined)?.[field.id];
  switch (field.type) {
    case 'text':
    case 'longText':
      return (lead) => textCell(value(lead));
    case 'integer':
    case 'real':
      return (lead) => numberCell(value(lead));
    case 'singleChoice':
    case 'multiChoice': {
      const labels = new Map((field.attributes.options ?? []).map((o) => [o.id, o.label]));
      return (lead) => {
        const v = value(lead);
        const ids = Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
        return joined(ids.map((id) => labels.get(String(id)) ?? String(id)));
      };
    }
    case 'date':
      return (lead) => textCell(value(lead));
    case 'dateTime':
      return (lead) => ctx.clock.format(value(lead));
    case 'image':
      return (lead) => {
        const id = value(lead);
        return typeof id === 'string' ? `/v1/assets/${id}` : null;
      };
  }
}

/** The function that renders one column's cell of a lead. */
export function cellRenderer(spec: ExportColumnSpec, ctx: ExportContext): CellRenderer {
  if (spec.kind === 'id') return (lead) => lead._id;
  if (spec.kind === 'system') return systemRenderer(spec.key, ctx);
  return customRenderer(spec.field, ctx);
}

/** Renders a whole row: one renderer per column, made once per export. */
export function rowRenderer(specs: readonly ExportColumnSpec[], ctx: ExportContext): (lead: ExportedLead) => ExportCell[] {
  const renderers = specs.map((spec) => cellRenderer(spec, ctx));
  return (lead) => {
    const row = new Array<ExportCell>(renderers.length);
    for (let i = 0; i < renderers.length; i++) row[i] = renderers[i]!(lead);
    return row;
  };
}
