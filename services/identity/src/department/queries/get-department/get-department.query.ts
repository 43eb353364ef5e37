import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { IDENTITY_READ_STORE } from '../../../identity.tokens';
import type { Viewer } from '../../domain/visibility';
import type { DepartmentView } from '../department.view';
import { loadTenantDepartments } from '../load-tenant-departments';

export class GetDepartmentQuery extends Query<DepartmentView> {
  constructor(
    readonly tenantId: string,
    readonly viewer: Viewer,
    readonly departmentId: string,
  ) {
    super();
  }
}

/** Another tenant's department and a hidden one the viewer may not see are both simply not found. */
@QueryHandler(GetDepartmentQuery)
export class GetDepartmentHandler implements IQueryHandler<GetDepartmentQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: GetDepartmentQuery): Promise<DepartmentView> {
    const departments = await loadTenantDepartments(this.store, query.tenantId);
    const doc = departments.get(query.departmentId);
    if (!doc || !departments.visibleTo(doc._id, query.viewer)) {
      throw new DomainError('not_found', 'identity.department-not-found', `Department ${query.departmentId} was not found.`);
    }
    return departments.view(doc);
  }
}
