import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { ColumnMapping, LeadImportMappingEvent } from './lead-import.events';

/** A saved import mapping (LEAD-7): a name and column → field, reused for files of the same shape. */
export interface LeadImportMappingState {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly mappingId: string | null;
  readonly enterpriseId: string | null;
  readonly name: string | null;
  readonly mapping: ColumnMapping | null;
  readonly savedBy: string | null;
  readonly updatedAt: string | null;
  /** Saves so far (1 after the first); the ETag of the mapping. */
  readonly version: number;
}

export type LeadImportMappingCommand =
  | {
      readonly kind: 'SaveMapping';
      /** Create a new mapping (its stream must not exist) or replace an existing one. */
      readonly create: boolean;
      readonly mappingId: string;
      readonly enterpriseId: string;
      readonly name: string;
      readonly mapping: ColumnMapping;
      readonly memberId: string;
      readonly now: string;
    }
  | { readonly kind: 'DeleteMapping'; readonly enterpriseId: string; readonly memberId: string; readonly now: string };

const notFound = (): never => {
  throw new DomainError('not_found', 'leads.import-mapping-not-found', 'The import mapping was not found.');
};

export const isLiveMapping = (state: LeadImportMappingState, enterpriseId: string): boolean => state.exists && !state.deleted && state.enterpriseId === enterpriseId;

export const leadImportMappingDecider: Decider<LeadImportMappingCommand, LeadImportMappingEvent, LeadImportMappingState> = {
  initialState: () => ({ exists: false, deleted: false, mappingId: null, enterpriseId: null, name: null, mapping: null, savedBy: null, updatedAt: null, version: 0 }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.LeadImportMappingSaved': {
        const d = event.data;
        return { ...state, exists: true, mappingId: d.mappingId, enterpriseId: d.enterpriseId, name: d.name, mapping: d.mapping, savedBy: d.savedBy, updatedAt: d.savedAt, version: state.version + 1 };
      }
      case 'leads.LeadImportMappingDeleted':
        return { ...state, deleted: true, updatedAt: event.data.deletedAt };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'SaveMapping': {
        if (command.create && state.exists) throw new DomainError('conflict', 'leads.import-mapping-exists', 'The import mapping already exists.');
        if (!command.create && !isLiveMapping(state, command.enterpriseId)) notFound();
        const { mappingId, enterpriseId, mapping, memberId, now } = command;
        const name = command.name.normalize('NFC').trim();
        if (name.length === 0) throw new DomainError('invalid', 'leads.invalid-import-mapping', 'The mapping needs a name.', { name: 'must not be empty' });
        if (name.length > 100) throw new DomainError('invalid', 'leads.invalid-import-mapping', 'The mapping name is too long.', { name: 'must be at most 100 characters' });
        if (!command.create && state.name === name && JSON.stringify(state.mapping) === JSON.stringify(mapping)) return [];
        return [{ type: 'leads.LeadImportMappingSaved', data: { mappingId, enterpriseId, name, mapping, savedBy: memberId, savedAt: now } }];
      }
      case 'DeleteMapping':
        if (!isLiveMapping(state, command.enterpriseId) || state.mappingId === null) notFound();
        return [{ type: 'leads.LeadImportMappingDeleted', data: { mappingId: state.mappingId!, enterpriseId: command.enterpriseId, deletedBy: command.memberId, deletedAt: command.now } }];
      default:
        return assertNever(command);
    }
  },
};
