import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { PACKAGE_IDS, PERMISSION_CATALOGUE, permissionsOf } from './permission-catalogue';
import { memberRolesDecider, roleDecider, roleNameDecider } from './role.decider';

const actor = { memberId: 'admin', isAdmin: true };
const now = '2026-01-01T00:00:00.000Z';
const created = (packages: string[] = ['leads:read']) => ({
  type: 'identity.RoleCreated' as const,
  data: { roleId: 'r1', enterpriseId: 'e1', name: 'Sales', packages, copiedFrom: null, createdBy: 'admin', createdAt: now },
});

describe('permission catalogue (ORG-8)', () => {
  it('covers every service with unique package ids', () => {
    assert.deepEqual(
      PERMISSION_CATALOGUE.map((s) => s.service),
      ['org', 'leads', 'scoring', 'campaigns', 'webhooks'],
    );
    assert.equal(new Set(PACKAGE_IDS).size, PACKAGE_IDS.length);
    for (const id of ['leads:export', 'leads:import', 'leads:assign', 'campaigns:review', 'scoring:manage', 'webhooks:manage']) assert.ok(PACKAGE_IDS.includes(id), id);
  });

  it('unions the packages’ permissions, write packages including read; unknown ids grant nothing', () => {
    assert.deepEqual(permissionsOf(['leads:write', 'campaigns:review', 'withdrawn:thing']), ['campaigns:read', 'campaigns:review', 'leads:read', 'leads:write']);
  });
});

describe('role decider (ORG-8)', () => {
  it('creates a role with de-duplicated, sorted packages', () => {
    deciderSpec(roleDecider)
      .given([])
      .when({ kind: 'CreateRole', roleId: 'r1', enterpriseId: 'e1', name: ' Sales ', packages: ['leads:write', 'leads:read', 'leads:write'], copiedFrom: null, actor, now })
      .then([created(['leads:read', 'leads:write'])]);
  });

  it('refuses unknown packages, org:manage (granted by the administrator, not roles), and a bad name', () => {
    const create = (packages: string[], name = 'x') => ({ kind: 'CreateRole' as const, roleId: 'r1', enterpriseId: 'e1', name, packages, copiedFrom: null, actor, now });
    deciderSpec(roleDecider).given([]).when(create(['leads:fly'])).thenThrows(DomainError, /Unknown/, (e) => assert.equal((e as DomainError).code, 'identity.unknown-permission-package'));
    deciderSpec(roleDecider).given([]).when(create(['org:manage'])).thenThrows(DomainError, /role/, (e) => assert.equal((e as DomainError).code, 'identity.package-not-grantable-by-role'));
    deciderSpec(roleDecider).given([]).when(create([], '   ')).thenThrows(DomainError, /name/);
  });

  it('changes name and packages, does nothing when nothing changes, and refuses a deleted or foreign role', () => {
    deciderSpec(roleDecider)
      .given([created()])
      .when({ kind: 'ChangeRole', roleId: 'r1', enterpriseId: 'e1', packages: ['leads:export'], actor, now })
      .then([{ type: 'identity.RoleChanged', data: { roleId: 'r1', enterpriseId: 'e1', name: 'Sales', previousName: 'Sales', packages: ['leads:export'], changedBy: 'admin', changedAt: now } }]);
    deciderSpec(roleDecider).given([created()]).when({ kind: 'ChangeRole', roleId: 'r1', enterpriseId: 'e1', name: 'Sales', actor, now }).then([]);
    deciderSpec(roleDecider).given([created()]).when({ kind: 'ChangeRole', roleId: 'r1', enterpriseId: 'e2', name: 'X', actor, now }).thenThrows(DomainError, /not found/);
    const deleted = { type: 'identity.RoleDeleted' as const, data: { roleId: 'r1', enterpriseId: 'e1', name: 'Sales', deletedBy: 'admin', deletedAt: now } };
    deciderSpec(roleDecider).given([created()]).when({ kind: 'DeleteRole', roleId: 'r1', enterpriseId: 'e1', actor, now }).then([deleted]);
    deciderSpec(roleDecider).given([created(), deleted]).when({ kind: 'DeleteRole', roleId: 'r1', enterpriseId: 'e1', actor, now }).thenThrows(DomainError, /not found/);
  });
});

describe('role name reservation (ORG-8)', () => {
  const reserved = (roleId: string) => ({ type: 'identity.RoleNameReserved' as const, data: { enterpriseId: 'e1', name: 'sales', roleId } });
  it('lets one role hold a name, until it releases it', () => {
    deciderSpec(roleNameDecider).given([]).when({ kind: 'ReserveRoleName', enterpriseId: 'e1', name: 'sales', roleId: 'r1' }).then([reserved('r1')]);
    deciderSpec(roleNameDecider)
      .given([reserved('r1')])
      .when({ kind: 'ReserveRoleName', enterpriseId: 'e1', name: 'sales', roleId: 'r2' })
      .thenThrows(DomainError, /already exists/, (e) => assert.equal((e as DomainError).code, 'identity.role-name-taken'));
    deciderSpec(roleNameDecider).given([reserved('r1')]).when({ kind: 'ReleaseRoleName', enterpriseId: 'e1', name: 'sales', roleId: 'r2' }).then([]);
    deciderSpec(roleNameDecider)
      .given([reserved('r1'), { type: 'identity.RoleNameReleased', data: { enterpriseId: 'e1', name: 'sales', roleId: 'r1' } }])
      .when({ kind: 'ReserveRoleName', enterpriseId: 'e1', name: 'sales', roleId: 'r2' })
      .then([reserved('r2')]);
  });
});

describe('member roles decider (ORG-8)', () => {
  const assigned = { type: 'identity.RoleAssigned' as const, data: { memberId: 'm1', enterpriseId: 'e1', roleId: 'r1', assignedBy: 'admin', assignedAt: now } };
  const cmd = (kind: 'AssignRole' | 'UnassignRole') => ({ kind, memberId: 'm1', enterpriseId: 'e1', roleId: 'r1', actor, now });
  it('assigns once and unassigns once (repeats change nothing)', () => {
    deciderSpec(memberRolesDecider).given([]).when(cmd('AssignRole')).then([assigned]);
    deciderSpec(memberRolesDecider).given([assigned]).when(cmd('AssignRole')).then([]);
    deciderSpec(memberRolesDecider).given([]).when(cmd('UnassignRole')).then([]);
    deciderSpec(memberRolesDecider)
      .given([assigned])
      .when(cmd('UnassignRole'))
      .then([{ type: 'identity.RoleUnassigned', data: { memberId: 'm1', enterpriseId: 'e1', roleId: 'r1', unassignedBy: 'admin', unassignedAt: now } }]);
  });
});
