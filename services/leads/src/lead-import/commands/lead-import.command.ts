import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';
import type { ColumnMapping, LeadImportUploaded } from '../domain/lead-import.events';

export type LeadImportChange =
  /** A stored and checked upload becomes a job (its stream begins). */
  | { readonly kind: 'register'; readonly uploaded: LeadImportUploaded['data'] }
  /** Start with a mapping given inline or a saved one. */
  | { readonly kind: 'start'; readonly importId: string; readonly mapping: ColumnMapping | null; readonly mappingId: string | null }
  | { readonly kind: 'cancel'; readonly importId: string };

/** Register, start or cancel an import job (LEAD-7). */
export class ChangeLeadImportCommand extends Command<void> {
  constructor(
    readonly change: LeadImportChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}

export type LeadImportMappingChange =
  | { readonly kind: 'create'; readonly name: string; readonly mapping: ColumnMapping }
  | { readonly kind: 'replace'; readonly mappingId: string; readonly name: string; readonly mapping: ColumnMapping }
  | { readonly kind: 'delete'; readonly mappingId: string };

/** Save, replace or delete a saved import mapping (LEAD-7). Answers the mapping's id. */
export class ChangeLeadImportMappingCommand extends Command<{ id: string }> {
  constructor(
    readonly change: LeadImportMappingChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
