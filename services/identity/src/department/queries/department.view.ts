import { ApiProperty } from '@nestjs/swagger';
import { isVisibleTo, type Viewer } from '../domain/visibility';
import type { DepartmentListDocument } from '../projections/department-list/department-list.schema';

export class DepartmentView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null: a root department' }) parentId: string | null;
  @ApiProperty({ description: 'Root departments have depth 0' }) depth: number;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) supervisorId: string | null;
  @ApiProperty() hidden: boolean;
  @ApiProperty({ type: [String] }) visibleToMemberIds: string[];
  @ApiProperty({ type: [String] }) visibleToDepartmentIds: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/**
 * A tenant's departments, loaded whole: visibility depends on every hidden ancestor, and an
 * enterprise's tree is small (hundreds, a few thousand departments), so this is one indexed read.
 */
export class TenantDepartments {
  private readonly byId: Map<string, DepartmentListDocument>;

  constructor(readonly docs: readonly DepartmentListDocument[]) {
    this.byId = new Map(docs.map((d) => [d._id, d]));
  }

  get(id: string): DepartmentListDocument | undefined {
    return this.byId.get(id);
  }

  visibleTo(id: string, viewer: Viewer): boolean {
    return this.byId.has(id) && isVisibleTo((d) => this.byId.get(d), id, viewer);
  }

  depthOf(id: string): number {
    let depth = 0;
    const seen = new Set<string>([id]);
    let parent = this.byId.get(id)?.parentId ?? null;
    while (parent !== null && !seen.has(parent)) {
      seen.add(parent);
      depth++;
      parent = this.byId.get(parent)?.parentId ?? null;
    }
    return depth;
  }

  view(doc: DepartmentListDocument): DepartmentView {
    return {
      id: doc._id,
      name: doc.name,
      parentId: doc.parentId,
      depth: this.depthOf(doc._id),
      supervisorId: doc.supervisorId,
      hidden: doc.hidden,
      visibleToMemberIds: doc.visibleToMemberIds,
      visibleToDepartmentIds: doc.visibleToDepartmentIds,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
    };
  }
}
