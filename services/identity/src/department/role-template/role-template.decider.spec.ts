import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import type { OrgTreeEvent } from '../domain/org-tree.events';
import { foldOrgTreeMembership, resolveDepartments, roleTemplateDecider, type OrgTreeMembershipView } from './role-template.decider';

const at = '2026-01-01T00:00:00.000Z';
const set = (roleIds: string[]) => ({
  kind: 'SetRoleTemplate' as const,
  enterpriseId: 'e1',
  departmentId: 'd1',
  roleIds,
  knownRoleIds: new Set(['r1', 'r2']),
  by: 'a1',
  now: at,
});
const setEvent = (roleIds: string[], enterpriseId = 'e1') => ({
  type: 'identity.DepartmentRoleTemplateSet' as const,
  data: { enterpriseId, departmentId: 'd1', roleIds, setBy: 'a1', setAt: at },
});

describe('ORG-9 department role templates (decider)', () => {
  it('sets a template, de-duplicated; the same set again changes nothing', () => {
    deciderSpec(roleTemplateDecider).given([]).when(set(['r1', 'r2', 'r1'])).then([setEvent(['r1', 'r2'])]);
    deciderSpec(roleTemplateDecider).given([setEvent(['r1', 'r2'])]).when(set(['r2', 'r1'])).then([]);
    deciderSpec(roleTemplateDecider).given([setEvent(['r1'])]).when(set([])).then([setEvent([])]);
  });

  it('refuses unknown roles with 422 naming roleIds, and another enterprise’s department', () => {
    deciderSpec(roleTemplateDecider)
      .given([])
      .when(set(['r1', 'rx']))
      .thenThrows(DomainError, /rx/, (e) => assert.deepEqual(Object.keys((e as DomainError).fields), ['roleIds']));
    deciderSpec(roleTemplateDecider).given([setEvent(['r1'], 'e2')]).when(set(['r1'])).thenThrows(DomainError, /not found/);
  });
});

describe('ORG-4/9 resolving a member’s departments through deletions', () => {
  const created = (departmentId: string, parentId: string | null): OrgTreeEvent => ({
    type: 'identity.DepartmentCreated',
    data: { enterpriseId: 'e1', departmentId, name: departmentId, parentId, createdBy: 'a1', createdAt: at },
  });
  const deleted = (departmentId: string, parentId: string | null): OrgTreeEvent => ({
    type: 'identity.DepartmentDeleted',
    data: { enterpriseId: 'e1', departmentId, parentId, childIdsMovedToParent: [], membersMoveToDepartmentId: parentId, deletedAt: at },
  });
  const view = (events: OrgTreeEvent[]): OrgTreeMembershipView =>
    events.reduce((v, e) => foldOrgTreeMembership(v, e), { live: new Set<string>(), relocated: new Map<string, string | null>() } as OrgTreeMembershipView);

  it('a deleted department resolves to its parent, through several deletions; a deleted root to nothing', () => {
    const tree = view([created('root', null), created('sales', 'root'), created('east', 'sales'), created('hr', 'root'), deleted('east', 'sales'), deleted('sales', 'root')]);
    assert.deepEqual(resolveDepartments(['east', 'hr'], tree).sort(), ['hr', 'root']);
    assert.deepEqual(resolveDepartments(['east', 'root'], tree), ['root'], 'not doubled');
    const rootless = view([created('root', null), deleted('root', null)]);
    assert.deepEqual(resolveDepartments(['root', 'unknown'], rootless), []);
  });
});
