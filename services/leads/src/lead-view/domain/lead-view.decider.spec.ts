import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, fold } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { isVisibleTo, leadViewDecider, VIEW_VERSION_MISMATCH, type LeadViewActor } from './lead-view.decider';
import type { LeadViewDefinition, LeadViewEvent } from './lead-view.events';

const T1 = 'tenant-1';
const VIEW = 'view-1';
const owner: LeadViewActor = { enterpriseId: T1, memberId: 'owner', isAdmin: false };
const other: LeadViewActor = { enterpriseId: T1, memberId: 'other', isAdmin: false };
const admin: LeadViewActor = { enterpriseId: T1, memberId: 'admin', isAdmin: true };
const foreignAdmin: LeadViewActor = { enterpriseId: 'tenant-2', memberId: 'admin2', isAdmin: true };
const NOW = '2025-01-01T00:00:00.000Z';
const LATER = '2025-01-02T00:00:00.000Z';

const definition = (extra: Partial<LeadViewDefinition> = {}): LeadViewDefinition => ({
  name: 'Hot leads',
  visibility: 'shared',
  filter: { conditions: [{ field: 'score', op: 'gte', value: 80 }], match: 'all' },
  sort: { field: 'score', direction: 'desc' },
  columns: ['name', 'score'],
  ...extra,
});

const saved = (extra: Partial<LeadViewDefinition> = {}, savedBy = 'owner', savedAt = NOW): LeadViewEvent => ({
  type: 'leads.LeadViewSaved',
  data: { viewId: VIEW, enterpriseId: T1, ownerId: 'owner', ...definition(extra), savedBy, savedAt },
});
const deleted = (by = 'owner'): LeadViewEvent => ({ type: 'leads.LeadViewDeleted', data: { viewId: VIEW, enterpriseId: T1, deletedBy: by, deletedAt: LATER } });

const spec = () => deciderSpec(leadViewDecider);
const kindOf = (code: string, kind: DomainError['kind']) => (e: Error) => {
  assert.ok(e instanceof DomainError);
  assert.equal(e.kind, kind);
  assert.equal(e.code, code);
};

describe('lead view decider (LEAD-9 saved views)', () => {
  it('creates a view owned by its creator, with the name trimmed', () => {
    spec().given([]).when({ kind: 'CreateLeadView', viewId: VIEW, actor: owner, definition: definition({ name: '  Hot leads ' }), now: NOW }).then([saved()]);
  });

  it('refuses an empty or too long name and an unknown visibility, naming the field', () => {
    const create = (d: LeadViewDefinition) => ({ kind: 'CreateLeadView' as const, viewId: VIEW, actor: owner, definition: d, now: NOW });
    spec().given([]).when(create(definition({ name: '   ' }))).thenThrows(DomainError, /name/, (e) => assert.ok('name' in (e as DomainError).fields));
    spec().given([]).when(create(definition({ name: 'x'.repeat(101) }))).thenThrows(DomainError, /too long/, (e) => assert.ok('name' in (e as DomainError).fields));
    spec().given([]).when(create(definition({ name: 'x'.repeat(100) }))).thenMatches((events) => assert.equal(events.length, 1));
    spec().given([]).when(create(definition({ visibility: 'public' as never }))).thenThrows(DomainError, /visibility/, (e) => assert.ok('visibility' in (e as DomainError).fields));
  });

  it('refuses to create a view twice', () => {
    spec().given([saved()]).when({ kind: 'CreateLeadView', viewId: VIEW, actor: owner, definition: definition(), now: NOW }).thenThrows(DomainError, /already exists/);
  });

  it('replaces the whole definition; the owner and creation time stay', () => {
    const replaced = definition({ name: 'Cold', visibility: 'private', sort: null, columns: null, filter: { conditions: [], match: 'any', q: 'acme' } });
    spec().given([saved()]).when({ kind: 'ReplaceLeadView', actor: owner, definition: replaced, now: LATER }).then([saved(replaced, 'owner', LATER)]);
    const state = fold(leadViewDecider, [saved(), saved(replaced, 'owner', LATER)]);
    assert.equal(state.ownerId, 'owner');
    assert.equal(state.createdAt, NOW);
    assert.equal(state.updatedAt, LATER);
    assert.equal(state.version, 1);
    assert.deepEqual(state.definition, replaced);
  });

  it('deletes; a deleted view is not found any more', () => {
    spec().given([saved()]).when({ kind: 'DeleteLeadView', actor: owner, now: LATER }).then([deleted()]);
    spec().given([saved(), deleted()]).when({ kind: 'DeleteLeadView', actor: owner, now: LATER }).thenThrows(DomainError, /not found/, kindOf('leads.view-not-found', 'not_found'));
    spec().given([saved(), deleted()]).when({ kind: 'ReplaceLeadView', actor: owner, definition: definition(), now: LATER }).thenThrows(DomainError, /not found/);
    spec().given([]).when({ kind: 'DeleteLeadView', actor: owner, now: LATER }).thenThrows(DomainError, /not found/);
  });

  it('only the owner or an administrator may change or delete a shared view; others are forbidden', () => {
    spec().given([saved()]).when({ kind: 'ReplaceLeadView', actor: other, definition: definition(), now: LATER }).thenThrows(DomainError, /owner/, kindOf('leads.view-not-owner', 'forbidden'));
    spec().given([saved()]).when({ kind: 'DeleteLeadView', actor: other, now: LATER }).thenThrows(DomainError, /owner/, kindOf('leads.view-not-owner', 'forbidden'));
    spec().given([saved()]).when({ kind: 'ReplaceLeadView', actor: admin, definition: definition({ name: 'By admin' }), now: LATER }).then([saved({ name: 'By admin' }, 'admin', LATER)]);
    spec().given([saved()]).when({ kind: 'DeleteLeadView', actor: admin, now: LATER }).then([deleted('admin')]);
  });

  it("someone else's private view is not found (not forbidden), also for an administrator; another enterprise never sees it", () => {
    const priv = saved({ visibility: 'private' });
    const state = fold(leadViewDecider, [priv]);
    assert.equal(isVisibleTo(state, owner), true);
    assert.equal(isVisibleTo(state, other), false);
    assert.equal(isVisibleTo(state, admin), false);
    assert.equal(isVisibleTo(fold(leadViewDecider, [saved()]), foreignAdmin), false);
    spec().given([priv]).when({ kind: 'ReplaceLeadView', actor: other, definition: definition(), now: LATER }).thenThrows(DomainError, /not found/, kindOf('leads.view-not-found', 'not_found'));
    spec().given([priv]).when({ kind: 'DeleteLeadView', actor: admin, now: LATER }).thenThrows(DomainError, /not found/);
    spec().given([saved()]).when({ kind: 'DeleteLeadView', actor: foreignAdmin, now: LATER }).thenThrows(DomainError, /not found/);
  });

  it('checks the expected version when one is given (optimistic concurrency)', () => {
    spec().given([saved()]).when({ kind: 'ReplaceLeadView', actor: owner, definition: definition(), expectedVersion: 0, now: LATER }).thenMatches((e) => assert.equal(e.length, 1));
    spec().given([saved(), saved()]).when({ kind: 'ReplaceLeadView', actor: owner, definition: definition(), expectedVersion: 0, now: LATER }).thenThrows(DomainError, /version/, kindOf(VIEW_VERSION_MISMATCH, 'conflict'));
    spec().given([saved(), saved()]).when({ kind: 'DeleteLeadView', actor: owner, expectedVersion: 0, now: LATER }).thenThrows(DomainError, /version/);
    spec().given([saved(), saved()]).when({ kind: 'DeleteLeadView', actor: owner, expectedVersion: 1, now: LATER }).then([deleted()]);
  });
});
