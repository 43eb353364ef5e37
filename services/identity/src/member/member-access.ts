import { DomainError, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { enterpriseDecider, type EnterpriseState } from '../enterprise/domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../enterprise/domain/enterprise.events';
import { memberDecider, memberNotFound, type MemberState } from './domain/member.decider';
import { MEMBER_CATEGORY, SEATS_CATEGORY } from './domain/member.events';
import { seatsDecider, seatsInUse } from './domain/seats.decider';
import { orgTreeDecider } from '../department/domain/org-tree.decider';
import { ORG_TREE_CATEGORY } from '../department/domain/org-tree.events';

export const memberStreamId = (memberId: string) => streamIdOf(MEMBER_CATEGORY, memberId);
export const seatsStreamId = (enterpriseId: string) => streamIdOf(SEATS_CATEGORY, enterpriseId);

export interface Actor {
  readonly memberId: string;
  readonly enterpriseId: string;
  readonly isAdmin: boolean;
  readonly manager: boolean;
}

/**
 * The caller as the event store knows it *now* (not as its token says): identity's own routes
 * refuse a disabled member at once, and a revoked management permission takes effect at once.
 * Other services rely on the access token's lifetime (see the README).
 */
export async function loadActor(store: EventStore, principal: Principal): Promise<Actor> {
  const { state } = await loadState(store, memberStreamId(principal.memberId), memberDecider);
  if (!state.exists || state.enterpriseId !== principal.tenantId) {
    throw new DomainError('unauthorized', 'identity.unknown-member', 'The member of this token does not exist.');
  }
  if (state.disabled) throw new DomainError('forbidden', 'identity.member-disabled', 'This member is disabled.');
  // ORG-2: who is administrator is the enterprise stream's answer, read live (not the token's `adm`)
  const enterprise = await loadState(store, streamIdOf(ENTERPRISE_CATEGORY, principal.tenantId), enterpriseDecider);
  const isAdmin = enterprise.state.adminMemberId === principal.memberId;
  return { memberId: principal.memberId, enterpriseId: principal.tenantId, isAdmin, manager: isAdmin ? false : state.manager };
}

/** ORG-7: the administrator and managers manage members. */
export function assertCanManage(actor: Actor): void {
  if (!actor.isAdmin && !actor.manager) {
    throw new DomainError('forbidden', 'identity.management-required', 'Managing members needs the management permission (org:manage).');
  }
}

export function adminOnly(what: string): DomainError {
  return new DomainError('forbidden', 'identity.admin-only', `Only the administrator can ${what}.`);
}

/** A member of the actor's enterprise; another tenant's member is simply not found. */
export async function loadTarget(store: EventStore, actor: Actor, memberId: string): Promise<{ state: MemberState; revision: number }> {
  const { state, revision } = await loadState(store, memberStreamId(memberId), memberDecider);
  if (!state.exists || state.enterpriseId !== actor.enterpriseId) throw memberNotFound();
  return { state, revision };
}

/** A manager may not act on the administrator or on another manager (that would be granting itself more). */
export function assertAuthorityOver(actor: Actor, target: MemberState, what: string): void {
  if (actor.isAdmin) return;
  if (target.isAdmin || target.manager) throw adminOnly(`${what} the administrator or a manager`);
}

export async function loadEnterprise(store: EventStore, enterpriseId: string): Promise<EnterpriseState> {
  const { state } = await loadState(store, streamIdOf(ENTERPRISE_CATEGORY, enterpriseId), enterpriseDecider);
  if (!state.exists) throw new DomainError('not_found', 'identity.enterprise-not-found', 'The enterprise was not found.');
  return state;
}

export async function loadSeatsInUse(store: EventStore, enterpriseId: string): Promise<number> {
  const { state } = await loadState(store, seatsStreamId(enterpriseId), seatsDecider);
  return seatsInUse(state);
}

/** ORG-5: the enterprise's existing departments (from its org-tree stream), to check member moves. */
export async function loadDepartmentIds(store: EventStore, enterpriseId: string): Promise<ReadonlySet<string>> {
  const { state } = await loadState(store, streamIdOf(ORG_TREE_CATEGORY, enterpriseId), orgTreeDecider);
  return new Set(state.departments.keys());
}
