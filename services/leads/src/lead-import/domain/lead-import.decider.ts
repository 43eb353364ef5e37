import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { ColumnMapping, ImportActor, ImportCounts, ImportEncoding, ImportFormat, LeadImportEvent, LeadImportFinished } from './lead-import.events';

export type ImportJobState = 'uploaded' | 'running' | 'completed' | 'cancelled' | 'failed';

export interface LeadImportState extends ImportCounts {
  readonly exists: boolean;
  readonly importId: string | null;
  readonly enterpriseId: string | null;
  readonly fileName: string | null;
  readonly format: ImportFormat | null;
  readonly encoding: ImportEncoding | null;
  readonly headers: readonly string[];
  readonly rows: number | null;
  readonly uploadedBy: string | null;
  readonly uploadedAt: string | null;
  readonly state: ImportJobState;
  readonly mapping: ColumnMapping | null;
  readonly mappingId: string | null;
  readonly actor: ImportActor | null;
  readonly startedAt: string | null;
  readonly cancelRequested: boolean;
  readonly lastRow: number;
  readonly errorBytes: number;
  readonly reason: string | null;
  readonly finishedAt: string | null;
}

export type LeadImportCommand =
  | { readonly kind: 'StartImport'; readonly enterpriseId: string; readonly mapping: ColumnMapping; readonly mappingId: string | null; readonly actor: ImportActor; readonly now: string }
  | { readonly kind: 'CancelImport'; readonly enterpriseId: string; readonly memberId: string; readonly now: string };

const ZERO: ImportCounts = { rowsRead: 0, imported: 0, failed: 0, skipped: 0 };

export const importNotFound = (): DomainError => new DomainError('not_found', 'leads.import-not-found', 'The import was not found.');

function notFound(): never {
  throw importNotFound();
}

export const isFinished = (state: ImportJobState): boolean => state === 'completed' || state === 'cancelled' || state === 'failed';

/**
 * One import job (LEAD-7): uploaded, started with a mapping, checkpointed as it goes, finished
 * (completed, cancelled or failed). The runner appends checkpoints and the end itself; the
 * commands here are the ones a caller gives.
 */
export const leadImportDecider: Decider<LeadImportCommand, LeadImportEvent, LeadImportState> = {
  initialState: () => ({
    exists: false,
    importId: null,
    enterpriseId: null,
    fileName: null,
    format: null,
    encoding: null,
    headers: [],
    rows: null,
    uploadedBy: null,
    uploadedAt: null,
    state: 'uploaded',
    mapping: null,
    mappingId: null,
    actor: null,
    startedAt: null,
    cancelRequested: false,
    lastRow: 1,
    errorBytes: 0,
    reason: null,
    finishedAt: null,
    ...ZERO,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.LeadImportUploaded': {
        const d = event.data;
        return {
          ...state,
          exists: true,
          importId: d.importId,
          enterpriseId: d.enterpriseId,
          fileName: d.fileName,
          format: d.format,
          encoding: d.encoding,
          headers: d.headers,
          rows: d.rows,
          uploadedBy: d.uploadedBy,
          uploadedAt: d.uploadedAt,
        };
      }
      case 'leads.LeadImportStarted':
        return { ...state, state: 'running', mapping: event.data.mapping, mappingId: event.data.mappingId, actor: event.data.actor, startedAt: event.data.startedAt };
      case 'leads.LeadImportProgressed': {
        const { rowsRead, imported, failed, skipped, lastRow, errorBytes } = event.data;
        return { ...state, rowsRead, imported, failed, skipped, lastRow, errorBytes };
      }
      case 'leads.LeadImportCancelRequested':
        return { ...state, cancelRequested: true };
      case 'leads.LeadImportFinished': {
        const { rowsRead, imported, failed, skipped, outcome, reason, finishedAt } = event.data;
        return { ...state, rowsRead, imported, failed, skipped, state: outcome, reason, finishedAt };
      }
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    if (!state.exists || state.enterpriseId !== command.enterpriseId || state.importId === null) notFound();
    const importId = state.importId;
    switch (command.kind) {
      case 'StartImport':
        if (state.state !== 'uploaded') throw new DomainError('conflict', 'leads.import-already-started', 'The import has already been started.');
        return [{ type: 'leads.LeadImportStarted', data: { importId, mapping: command.mapping, mappingId: command.mappingId, actor: command.actor, startedAt: command.now } }];
      case 'CancelImport': {
        if (isFinished(state.state) || state.cancelRequested) return [];
        if (state.state === 'uploaded') {
          // never started: it ends here
          const finished: LeadImportFinished = { type: 'leads.LeadImportFinished', data: { importId, outcome: 'cancelled', reason: null, finishedAt: command.now, ...ZERO } };
          return [finished];
        }
        return [{ type: 'leads.LeadImportCancelRequested', data: { importId, requestedBy: command.memberId, requestedAt: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
};
