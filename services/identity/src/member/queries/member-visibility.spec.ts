import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DepartmentListDocument } from '../../department/projections/department-list/department-list.schema';
import { TenantDepartments } from '../../department/queries/department.view';
import { isMemberVisible, memberVisibility, memberVisibilityFilter } from './member-visibility';

const dept = (id: string, extra: Partial<DepartmentListDocument> = {}): DepartmentListDocument =>
  ({ _id: id, tenantId: 't1', name: id, parentId: null, supervisorId: null, hidden: false, visibleToMemberIds: [], visibleToDepartmentIds: [], createdAt: 'c', updatedAt: 'u', ...extra }) as DepartmentListDocument;
const departments = new TenantDepartments([
  dept('open'),
  dept('secret', { hidden: true, visibleToMemberIds: ['insider'], visibleToDepartmentIds: ['open2'] }),
  dept('secret-child', { parentId: 'secret' }),
  dept('open2'),
]);
const member = (_id: string, departmentIds?: string[]) => ({ _id, departmentIds });

describe('ORG-4 member visibility', () => {
  const outsider = memberVisibility(departments, { memberId: 'outsider', isAdmin: false, departmentIds: ['open'] });

  it('hides a hidden department and its subtree from a viewer not on the list', () => {
    assert.deepEqual([...outsider.hiddenDepartmentIds].sort(), ['secret', 'secret-child']);
  });

  it('leaves out only members whose departments are all hidden', () => {
    assert.equal(isMemberVisible(member('m1', ['secret']), outsider), false);
    assert.equal(isMemberVisible(member('m2', ['secret', 'secret-child']), outsider), false);
    assert.equal(isMemberVisible(member('m3', ['secret', 'open']), outsider), true);
    assert.equal(isMemberVisible(member('m4', []), outsider), true);
    assert.equal(isMemberVisible(member('m5'), outsider), true);
  });

  it('always shows the viewer itself', () => {
    const self = memberVisibility(departments, { memberId: 'm1', isAdmin: false, departmentIds: ['open'] });
    assert.equal(isMemberVisible(member('m1', ['secret']), self), true);
  });

  it('shows everyone to the admin, the listed member and members of listed departments', () => {
    for (const viewer of [
      { memberId: 'a', isAdmin: true },
      { memberId: 'insider', isAdmin: false },
      { memberId: 'x', isAdmin: false, departmentIds: ['open2'] },
    ]) {
      const v = memberVisibility(departments, viewer);
      assert.deepEqual(v.hiddenDepartmentIds, []);
      assert.equal(isMemberVisible(member('m1', ['secret-child']), v), true);
      assert.equal(memberVisibilityFilter(v), undefined);
    }
  });

  it('builds a read-store filter that keeps the viewer, members without hidden departments and members in a visible one', () => {
    assert.deepEqual(memberVisibilityFilter(outsider), {
      $or: [{ _id: 'outsider' }, { departmentIds: { $nin: outsider.hiddenDepartmentIds } }, { departmentIds: { $in: outsider.visibleDepartmentIds } }],
    });
  });
});
