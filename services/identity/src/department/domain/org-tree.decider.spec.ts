import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, fold } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { isSelfOrDescendant, orgTreeDecider, type OrgTreeCommand } from './org-tree.decider';
import type { DepartmentCreated, DepartmentVisibilityChanged, OrgTreeEvent } from './org-tree.events';
import { isVisibleTo, type Viewer } from './visibility';

const E = 'e1';
const now = '2026-01-01T00:00:00.000Z';
const admin = { memberId: 'admin', isAdmin: true };
const manager = { memberId: 'manager', isAdmin: false };
const base = { enterpriseId: E, actor: admin, now };

function created(departmentId: string, name: string, parentId: string | null): DepartmentCreated {
  return { type: 'identity.DepartmentCreated', data: { enterpriseId: E, departmentId, name, parentId, createdBy: 'admin', createdAt: now } };
}
function hidden(departmentId: string, memberIds: string[] = [], departmentIds: string[] = []): DepartmentVisibilityChanged {
  return {
    type: 'identity.DepartmentVisibilityChanged',
    data: { enterpriseId: E, departmentId, hidden: true, visibleToMemberIds: memberIds, visibleToDepartmentIds: departmentIds, changedAt: now },
  };
}

// root ─┬─ sales ── east
//       └─ hr
const tree: OrgTreeEvent[] = [created('root', 'Acme', null), created('sales', 'Sales', 'root'), created('east', 'East', 'sales'), created('hr', 'HR', 'root')];

type Input = OrgTreeCommand extends infer C ? (C extends OrgTreeCommand ? Omit<C, 'enterpriseId' | 'actor' | 'now'> & { actor?: Viewer } : never) : never;
const cmd = (c: Input): OrgTreeCommand => ({ ...base, ...c });

describe('org tree decider (ORG-4)', () => {
  it('creates a root and a child with a trimmed name', () => {
    deciderSpec(orgTreeDecider).given([]).when(cmd({ kind: 'CreateDepartment', departmentId: 'root', name: '  Acme ', parentId: null })).then([created('root', 'Acme', null)]);
    deciderSpec(orgTreeDecider).given([created('root', 'Acme', null)]).when(cmd({ kind: 'CreateDepartment', departmentId: 'sales', name: 'Sales', parentId: 'root' })).then([created('sales', 'Sales', 'root')]);
  });

  it('refuses an empty name (400 naming name), an unknown parent (422 naming parentId) and a sibling name clash (409 naming name)', () => {
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'CreateDepartment', departmentId: 'x', name: '   ', parentId: null }))
      .thenThrows(DomainError, /not valid/, (e) => assert.deepEqual(Object.keys((e as DomainError).fields), ['name']));
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'CreateDepartment', departmentId: 'x', name: 'X', parentId: 'nope' }))
      .thenThrows(DomainError, /not found/, (e) => {
        assert.equal((e as DomainError).kind, 'unprocessable');
        assert.deepEqual(Object.keys((e as DomainError).fields), ['parentId']);
      });
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'CreateDepartment', departmentId: 'x', name: ' sales ', parentId: 'root' }))
      .thenThrows(DomainError, /already named/, (e) => {
        assert.equal((e as DomainError).kind, 'conflict');
        assert.deepEqual(Object.keys((e as DomainError).fields), ['name']);
      });
    // the same name under another parent is fine
    deciderSpec(orgTreeDecider).given(tree).when(cmd({ kind: 'CreateDepartment', departmentId: 'x', name: 'Sales', parentId: 'hr' })).thenMatches((events) => assert.equal(events.length, 1));
  });

  it('renames, and renaming to the same name changes nothing', () => {
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'RenameDepartment', departmentId: 'east', name: 'East China' }))
      .then([{ type: 'identity.DepartmentRenamed', data: { enterpriseId: E, departmentId: 'east', name: 'East China', renamedAt: now } }]);
    deciderSpec(orgTreeDecider).given(tree).when(cmd({ kind: 'RenameDepartment', departmentId: 'east', name: 'East' })).thenNothing();
    deciderSpec(orgTreeDecider).given(tree).when(cmd({ kind: 'RenameDepartment', departmentId: 'ghost', name: 'X' })).thenThrows(DomainError, /not found/);
  });

  it('moves a subtree, and to a root', () => {
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'MoveDepartment', departmentId: 'sales', parentId: 'hr' }))
      .then([{ type: 'identity.DepartmentMoved', data: { enterpriseId: E, departmentId: 'sales', fromParentId: 'root', toParentId: 'hr', movedAt: now } }]);
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'MoveDepartment', departmentId: 'east', parentId: null }))
      .then([{ type: 'identity.DepartmentMoved', data: { enterpriseId: E, departmentId: 'east', fromParentId: 'sales', toParentId: null, movedAt: now } }]);
    deciderSpec(orgTreeDecider).given(tree).when(cmd({ kind: 'MoveDepartment', departmentId: 'east', parentId: 'sales' })).thenNothing();
  });

  it('refuses cycles: under itself or under a descendant (422 naming parentId)', () => {
    for (const [id, parentId, reason] of [
      ['sales', 'sales', /itself/],
      ['sales', 'east', /descendant/],
      ['root', 'east', /descendant/],
    ] as const) {
      deciderSpec(orgTreeDecider)
        .given(tree)
        .when(cmd({ kind: 'MoveDepartment', departmentId: id, parentId }))
        .thenThrows(DomainError, /cannot be moved under itself/, (e) => {
          assert.equal((e as DomainError).kind, 'unprocessable');
          assert.match((e as DomainError).fields['parentId'] ?? '', reason);
        });
    }
    const state = fold(orgTreeDecider, tree);
    assert.equal(isSelfOrDescendant(state, 'root', 'east'), true);
    assert.equal(isSelfOrDescendant(state, 'sales', 'hr'), false);
  });

  it('refuses a move that would give two siblings the same name', () => {
    deciderSpec(orgTreeDecider)
      .given([...tree, created('hr-east', 'East', 'hr')])
      .when(cmd({ kind: 'MoveDepartment', departmentId: 'hr-east', parentId: 'sales' }))
      .thenThrows(DomainError, /already named/);
  });

  it('sets and clears the supervisor', () => {
    const set = { type: 'identity.DepartmentSupervisorChanged' as const, data: { enterpriseId: E, departmentId: 'sales', supervisorId: 'm1', changedAt: now } };
    deciderSpec(orgTreeDecider).given(tree).when(cmd({ kind: 'SetDepartmentSupervisor', departmentId: 'sales', supervisorId: 'm1' })).then([set]);
    deciderSpec(orgTreeDecider).given([...tree, set]).when(cmd({ kind: 'SetDepartmentSupervisor', departmentId: 'sales', supervisorId: 'm1' })).thenNothing();
    deciderSpec(orgTreeDecider)
      .given([...tree, set])
      .when(cmd({ kind: 'SetDepartmentSupervisor', departmentId: 'sales', supervisorId: null }))
      .then([{ type: 'identity.DepartmentSupervisorChanged', data: { enterpriseId: E, departmentId: 'sales', supervisorId: null, changedAt: now } }]);
  });

  it('deleting a department with children moves them (and its members) up to its parent', () => {
    deciderSpec(orgTreeDecider)
      .given([...tree, created('west', 'West', 'sales')])
      .when(cmd({ kind: 'DeleteDepartment', departmentId: 'sales' }))
      .then([
        {
          type: 'identity.DepartmentDeleted',
          data: { enterpriseId: E, departmentId: 'sales', parentId: 'root', childIdsMovedToParent: ['east', 'west'], membersMoveToDepartmentId: 'root', deletedAt: now },
        },
      ]);
    const after = fold(orgTreeDecider, [
      ...tree,
      ...orgTreeDecider.decide(cmd({ kind: 'DeleteDepartment', departmentId: 'sales' }), fold(orgTreeDecider, tree)),
    ]);
    assert.equal(after.departments.has('sales'), false);
    assert.equal(after.departments.get('east')?.parentId, 'root');
    // deleted departments are gone for good
    deciderSpec(orgTreeDecider)
      .given([...tree, { type: 'identity.DepartmentDeleted', data: { enterpriseId: E, departmentId: 'hr', parentId: 'root', childIdsMovedToParent: [], membersMoveToDepartmentId: 'root', deletedAt: now } }])
      .when(cmd({ kind: 'RenameDepartment', departmentId: 'hr', name: 'People' }))
      .thenThrows(DomainError, /not found/);
  });

  it('deleting a root makes its children roots and sends its members to no department', () => {
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'DeleteDepartment', departmentId: 'root' }))
      .then([
        {
          type: 'identity.DepartmentDeleted',
          data: { enterpriseId: E, departmentId: 'root', parentId: null, childIdsMovedToParent: ['hr', 'sales'], membersMoveToDepartmentId: null, deletedAt: now },
        },
      ]);
  });

  it('refuses a delete that would put two equally named departments under one parent', () => {
    deciderSpec(orgTreeDecider)
      .given([...tree, created('root-east', 'East', 'root')])
      .when(cmd({ kind: 'DeleteDepartment', departmentId: 'sales' }))
      .thenThrows(DomainError, /two departments named "East"/);
  });

  it('hides a department; members on the list, its supervisor and the admin see it; others get 404, subtree included', () => {
    const withHidden = [...tree, hidden('sales', ['m-listed'], ['hr'])];
    const state = fold(orgTreeDecider, withHidden);
    const lookup = (id: string) => state.departments.get(id);
    assert.equal(isVisibleTo(lookup, 'sales', admin), true);
    assert.equal(isVisibleTo(lookup, 'sales', { memberId: 'm-listed', isAdmin: false }), true);
    assert.equal(isVisibleTo(lookup, 'east', { memberId: 'm-listed', isAdmin: false }), true);
    assert.equal(isVisibleTo(lookup, 'sales', manager), false);
    assert.equal(isVisibleTo(lookup, 'east', manager), false, 'hiding covers the subtree');
    assert.equal(isVisibleTo(lookup, 'hr', manager), true);
    assert.equal(isVisibleTo(lookup, 'sales', { memberId: 'in-hr', isAdmin: false, departmentIds: ['hr'] }), true, 'a listed department’s members see it');

    deciderSpec(orgTreeDecider).given(withHidden).when(cmd({ kind: 'RenameDepartment', departmentId: 'east', name: 'X', actor: manager })).thenThrows(DomainError, /not found/);
    deciderSpec(orgTreeDecider)
      .given(withHidden)
      .when(cmd({ kind: 'CreateDepartment', departmentId: 'x', name: 'X', parentId: 'sales', actor: manager }))
      .thenThrows(DomainError, /not found/, (e) => assert.deepEqual(Object.keys((e as DomainError).fields), ['parentId']));
    deciderSpec(orgTreeDecider)
      .given([...withHidden, { type: 'identity.DepartmentSupervisorChanged', data: { enterpriseId: E, departmentId: 'sales', supervisorId: 'manager', changedAt: now } }])
      .when(cmd({ kind: 'RenameDepartment', departmentId: 'east', name: 'X', actor: manager }))
      .thenMatches((events) => assert.equal(events.length, 1, 'the supervisor sees the hidden department'));
  });

  it('sets visibility with de-duplicated, sorted lists; unknown departments on the list are refused', () => {
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'SetDepartmentVisibility', departmentId: 'sales', hidden: true, visibleToMemberIds: ['m2', 'm1', 'm2'], visibleToDepartmentIds: ['hr'] }))
      .then([hidden('sales', ['m1', 'm2'], ['hr'])]);
    deciderSpec(orgTreeDecider)
      .given([...tree, hidden('sales', ['m1', 'm2'], ['hr'])])
      .when(cmd({ kind: 'SetDepartmentVisibility', departmentId: 'sales', hidden: true, visibleToMemberIds: ['m2', 'm1'], visibleToDepartmentIds: ['hr'] }))
      .thenNothing();
    deciderSpec(orgTreeDecider)
      .given(tree)
      .when(cmd({ kind: 'SetDepartmentVisibility', departmentId: 'sales', hidden: true, visibleToMemberIds: [], visibleToDepartmentIds: ['ghost'] }))
      .thenThrows(DomainError, /not valid/, (e) => assert.deepEqual(Object.keys((e as DomainError).fields), ['visibleToDepartmentIds']));
  });

  it('a deleted department drops off visibility lists', () => {
    const state = fold(orgTreeDecider, [
      ...tree,
      hidden('sales', [], ['hr']),
      { type: 'identity.DepartmentDeleted', data: { enterpriseId: E, departmentId: 'hr', parentId: 'root', childIdsMovedToParent: [], membersMoveToDepartmentId: 'root', deletedAt: now } },
    ]);
    assert.deepEqual(state.departments.get('sales')?.visibleToDepartmentIds, []);
  });
});
