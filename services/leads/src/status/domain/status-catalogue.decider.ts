import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import type { StatusCatalogueEvent, StatusEntry } from './status.events';

export interface CatalogueStatus {
  readonly id: string;
  readonly name: string;
  readonly retired: boolean;
}

/** The statuses in display order (the index is the order). */
export interface StatusCatalogueState {
  readonly initialised: boolean;
  readonly statuses: readonly CatalogueStatus[];
}

/** The default set every enterprise starts with; the ids are stable (the same in every enterprise). */
export const DEFAULT_STATUSES: readonly StatusEntry[] = [
  { id: '00000000-0000-4000-8000-000000000001', name: 'New' },
  { id: '00000000-0000-4000-8000-000000000002', name: 'Contacted' },
  { id: '00000000-0000-4000-8000-000000000003', name: 'Qualified' },
  { id: '00000000-0000-4000-8000-000000000004', name: 'Converted' },
  { id: '00000000-0000-4000-8000-000000000005', name: 'Invalid' },
];

export const STATUS_NAME_MAX = 32;

export type StatusCatalogueCommand =
  | { readonly kind: 'CreateStatus'; readonly enterpriseId: string; readonly statusId: string; readonly name: string }
  | { readonly kind: 'RenameStatus'; readonly enterpriseId: string; readonly statusId: string; readonly name: string }
  | { readonly kind: 'ReorderStatuses'; readonly enterpriseId: string; readonly statusIds: readonly string[] }
  | { readonly kind: 'RetireStatus'; readonly enterpriseId: string; readonly statusId: string };

function cleanName(name: string): string {
  const trimmed = (name ?? '').normalize('NFC').trim();
  if (trimmed.length < 1 || trimmed.length > STATUS_NAME_MAX) {
    throw new DomainError('invalid', 'leads.invalid-status-name', 'The status name is not valid.', { name: `must be 1-${STATUS_NAME_MAX} characters` });
  }
  return trimmed;
}

function assertUniqueName(state: StatusCatalogueState, name: string, exceptId: string | null): void {
  const key = name.toLocaleLowerCase();
  if (state.statuses.some((s) => !s.retired && s.id !== exceptId && s.name.toLocaleLowerCase() === key)) {
    throw new DomainError('conflict', 'leads.status-name-taken', `A status named "${name}" already exists.`, { name: 'is already used by another status' });
  }
}

function find(state: StatusCatalogueState, statusId: string): CatalogueStatus {
  const status = state.statuses.find((s) => s.id === statusId);
  if (!status) throw new DomainError('not_found', 'leads.status-not-found', `Status ${statusId} was not found.`);
  return status;
}

function decideChange(command: StatusCatalogueCommand, state: StatusCatalogueState): StatusCatalogueEvent[] {
  switch (command.kind) {
    case 'CreateStatus': {
      const name = cleanName(command.name);
      if (state.statuses.some((s) => s.id === command.statusId)) throw new DomainError('conflict', 'leads.status-exists', 'The status already exists.');
      assertUniqueName(state, name, null);
      return [{ type: 'leads.StatusCreated', data: { statusId: command.statusId, name } }];
    }
    case 'RenameStatus': {
      const status = find(state, command.statusId);
      const name = cleanName(command.name);
      if (status.name === name) return [];
      if (!status.retired) assertUniqueName(state, name, status.id);
      return [{ type: 'leads.StatusRenamed', data: { statusId: status.id, name } }];
    }
    case 'ReorderStatuses': {
      const current = state.statuses.map((s) => s.id);
      const given = command.statusIds;
      const same = given.length === current.length && new Set(given).size === given.length && given.every((id) => current.includes(id));
      if (!same) {
        throw new DomainError('invalid', 'leads.invalid-status-order', 'The new order must list every status exactly once.', {
          statusIds: 'must list every status id (retired ones included) exactly once',
        });
      }
      if (given.every((id, i) => current[i] === id)) return [];
      return [{ type: 'leads.StatusesReordered', data: { statusIds: [...given] } }];
    }
    case 'RetireStatus': {
      const status = find(state, command.statusId);
      if (status.retired) return [];
      return [{ type: 'leads.StatusRetired', data: { statusId: status.id } }];
    }
    default:
      return assertNever(command);
  }
}

/**
 * LEAD-5: an enterprise's lead status catalogue. An empty stream stands for the default set; the first
 * change writes `StatusCatalogueInitialised` with the defaults before the change itself, so the defaults
 * become part of the history only when something is changed.
 */
export const statusCatalogueDecider: Decider<StatusCatalogueCommand, StatusCatalogueEvent, StatusCatalogueState> = {
  initialState: () => ({ initialised: false, statuses: DEFAULT_STATUSES.map((s) => ({ ...s, retired: false })) }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.StatusCatalogueInitialised':
        return { initialised: true, statuses: event.data.statuses.map((s) => ({ id: s.id, name: s.name, retired: false })) };
      case 'leads.StatusCreated':
        return { ...state, statuses: [...state.statuses, { id: event.data.statusId, name: event.data.name, retired: false }] };
      case 'leads.StatusRenamed':
        return { ...state, statuses: state.statuses.map((s) => (s.id === event.data.statusId ? { ...s, name: event.data.name } : s)) };
      case 'leads.StatusesReordered': {
        const byId = new Map(state.statuses.map((s) => [s.id, s]));
        return { ...state, statuses: event.data.statusIds.map((id) => byId.get(id)).filter((s): s is CatalogueStatus => s !== undefined) };
      }
      case 'leads.StatusRetired':
        return { ...state, statuses: state.statuses.map((s) => (s.id === event.data.statusId ? { ...s, retired: true } : s)) };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    const changes = decideChange(command, state);
    if (changes.length === 0 || state.initialised) return changes;
    return [
      { type: 'leads.StatusCatalogueInitialised', data: { enterpriseId: command.enterpriseId, statuses: DEFAULT_STATUSES.map((s) => ({ ...s })) } },
      ...changes,
    ];
  },
};
