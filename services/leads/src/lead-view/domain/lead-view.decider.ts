import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';
import { LEAD_VIEW_VISIBILITIES, MAX_VIEW_NAME_LENGTH, type LeadViewDefinition, type LeadViewEvent } from './lead-view.events';

/** Who acts on a view: the caller's enterprise and member, and whether they administer the enterprise. */
export interface LeadViewActor {
  readonly enterpriseId: string;
  readonly memberId: string;
  readonly isAdmin: boolean;
}

export interface LeadViewState {
  readonly exists: boolean;
  readonly deleted: boolean;
  readonly viewId: string | null;
  readonly enterpriseId: string | null;
  readonly ownerId: string | null;
  readonly definition: LeadViewDefinition | null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  /** Revision of the stream's last event (-1: no stream): the view's version, for If-Match. */
  readonly version: number;
}

export type LeadViewCommand =
  | { readonly kind: 'CreateLeadView'; readonly viewId: string; readonly actor: LeadViewActor; readonly definition: LeadViewDefinition; readonly now: string }
  | { readonly kind: 'ReplaceLeadView'; readonly actor: LeadViewActor; readonly definition: LeadViewDefinition; readonly expectedVersion?: number; readonly now: string }
  | { readonly kind: 'DeleteLeadView'; readonly actor: LeadViewActor; readonly expectedVersion?: number; readonly now: string };

export const VIEW_VERSION_MISMATCH = 'leads.view-version-mismatch';

function notFound(): DomainError {
  return new DomainError('not_found', 'leads.view-not-found', 'The lead view was not found.');
}

/**
 * Whether the actor sees the view: it exists, is not deleted, belongs to the actor's enterprise,
 * and is shared or the actor's own. A private view of someone else is not visible to anyone else,
 * administrators included (it is answered as not found, never as forbidden, so its existence does not leak).
 */
export function isVisibleTo(state: LeadViewState, actor: Pick<LeadViewActor, 'enterpriseId' | 'memberId'>): boolean {
  if (!state.exists || state.deleted || state.definition === null) return false;
  if (state.enterpriseId !== actor.enterpriseId) return false;
  return state.definition.visibility === 'shared' || state.ownerId === actor.memberId;
}

/** Throws unless the actor may change or delete the view: 404 when not visible, 403 unless owner or administrator. */
export function assertMayChange(state: LeadViewState, actor: LeadViewActor): void {
  if (!isVisibleTo(state, actor)) throw notFound();
  if (state.ownerId !== actor.memberId && !actor.isAdmin) {
    throw new DomainError('forbidden', 'leads.view-not-owner', 'Only the owner of the view or an administrator may change or delete it.');
  }
}

/** The schema-independent rules of a definition: a name of 1–100 characters, a known visibility. */
function checked(definition: LeadViewDefinition): LeadViewDefinition {
  const name = typeof definition.name === 'string' ? definition.name.trim() : '';
  if (name.length === 0) throw new DomainError('invalid', 'leads.view-name-required', 'A view needs a name.', { name: 'must not be empty' });
  if (name.length > MAX_VIEW_NAME_LENGTH) throw new DomainError('invalid', 'leads.view-name-too-long', 'The view name is too long.', { name: `must be at most ${MAX_VIEW_NAME_LENGTH} characters` });
  if (!(LEAD_VIEW_VISIBILITIES as readonly string[]).includes(definition.visibility)) {
    throw new DomainError('invalid', 'leads.view-visibility', 'The visibility is unknown.', { visibility: 'must be private or shared' });
  }
  return { ...definition, name };
}

function assertVersion(state: LeadViewState, expected: number | undefined): void {
  if (expected !== undefined && expected !== state.version) {
    throw new DomainError('conflict', VIEW_VERSION_MISMATCH, `The view is at version ${state.version}, not ${expected}.`, { 'If-Match': `the view is at version ${state.version}` });
  }
}

/**
 * LEAD-9 saved views: created by a member (their owner), replaced as a whole or deleted by the
 * owner or an administrator. Private views are visible to their owner only, shared ones to the whole enterprise.
 * Checking the filter, sort and columns against the lead schema happens before deciding (it needs the schema).
 */
export const leadViewDecider: Decider<LeadViewCommand, LeadViewEvent, LeadViewState> = {
  initialState: () => ({ exists: false, deleted: false, viewId: null, enterpriseId: null, ownerId: null, definition: null, createdAt: null, updatedAt: null, version: -1 }),

  evolve(state, event) {
    switch (event.type) {
      case 'leads.LeadViewSaved': {
        const { viewId, enterpriseId, ownerId, savedAt, name, visibility, filter, sort, columns } = event.data;
        return {
          ...state,
          exists: true,
          viewId,
          enterpriseId,
          ownerId: state.ownerId ?? ownerId,
          definition: { name, visibility, filter, sort, columns },
          createdAt: state.createdAt ?? savedAt,
          updatedAt: savedAt,
          version: state.version + 1,
        };
      }
      case 'leads.LeadViewDeleted':
        return { ...state, deleted: true, updatedAt: event.data.deletedAt, version: state.version + 1 };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'CreateLeadView': {
        if (state.exists) throw new DomainError('conflict', 'leads.view-exists', 'The view already exists.');
        const definition = checked(command.definition);
        return [
          {
            type: 'leads.LeadViewSaved',
            data: { viewId: command.viewId, enterpriseId: command.actor.enterpriseId, ownerId: command.actor.memberId, ...definition, savedBy: command.actor.memberId, savedAt: command.now },
          },
        ];
      }
      case 'ReplaceLeadView': {
        assertMayChange(state, command.actor);
        assertVersion(state, command.expectedVersion);
        const definition = checked(command.definition);
        return [
          {
            type: 'leads.LeadViewSaved',
            data: { viewId: state.viewId!, enterpriseId: state.enterpriseId!, ownerId: state.ownerId!, ...definition, savedBy: command.actor.memberId, savedAt: command.now },
          },
        ];
      }
      case 'DeleteLeadView': {
        assertMayChange(state, command.actor);
        assertVersion(state, command.expectedVersion);
        return [{ type: 'leads.LeadViewDeleted', data: { viewId: state.viewId!, enterpriseId: state.enterpriseId!, deletedBy: command.actor.memberId, deletedAt: command.now } }];
      }
      default:
        return assertNever(command);
    }
  },
};
