import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ReadStore } from '@leadstream/read-store';
import { decodeCursor, encodeCursor, ValidationProblemException } from '@leadstream/platform';
import { IDENTITY_READ_STORE } from '../../../identity.tokens';
import type { Viewer } from '../../domain/visibility';
import type { DepartmentView } from '../department.view';
import { loadTenantDepartments } from '../load-tenant-departments';

export interface DepartmentListPage {
  readonly items: DepartmentView[];
  readonly total: number;
  readonly nextCursor: string | null;
}

export interface ListDepartmentsFilter {
  /** Only the direct children of this department. */
  readonly parentId?: string;
  /** Only root departments. */
  readonly rootsOnly?: boolean;
  /** Case-insensitive text in the name. */
  readonly q?: string;
}

export class ListDepartmentsQuery extends Query<DepartmentListPage> {
  constructor(
    readonly tenantId: string,
    readonly viewer: Viewer,
    readonly filter: ListDepartmentsFilter,
    readonly limit: number,
    readonly cursor: string | undefined,
  ) {
    super();
  }
}

interface DepartmentCursor {
  readonly c: string;
  readonly i: string;
}

/**
 * A flat list with `parentId` and `depth` (clients build the tree), oldest first, keyset-paged on
 * (createdAt, id). Hidden departments (and their subtrees) the viewer may not see are left out
 * and not counted.
 */
@QueryHandler(ListDepartmentsQuery)
export class ListDepartmentsHandler implements IQueryHandler<ListDepartmentsQuery> {
  constructor(@Inject(IDENTITY_READ_STORE) private readonly store: ReadStore) {}

  async execute(query: ListDepartmentsQuery): Promise<DepartmentListPage> {
    let after: DepartmentCursor | undefined;
    if (query.cursor !== undefined) {
      const cursor = decodeCursor<DepartmentCursor>(query.cursor);
      if (typeof cursor.c !== 'string' || typeof cursor.i !== 'string') {
        throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor returned by this list' }], 'The pagination cursor is invalid.');
      }
      after = cursor;
    }
    const departments = await loadTenantDepartments(this.store, query.tenantId);
    const { parentId, rootsOnly } = query.filter;
    const q = query.filter.q?.trim().toLocaleLowerCase() ?? '';
    const matching = departments.docs.filter(
      (d) =>
        (parentId === undefined || d.parentId === parentId) &&
        (!rootsOnly || d.parentId === null) &&
        (q === '' || d.name.toLocaleLowerCase().includes(q)) &&
        departments.visibleTo(d._id, query.viewer),
    );
    const rest = after ? matching.filter((d) => d.createdAt > after.c || (d.createdAt === after.c && d._id > after.i)) : matching;
    const page = rest.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map((d) => departments.view(d)),
      total: matching.length,
      nextCursor: rest.length > query.limit && last ? encodeCursor({ c: last.createdAt, i: last._id }) : null,
    };
  }
}
