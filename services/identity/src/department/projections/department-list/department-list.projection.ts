import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { ORG_TREE_CATEGORY, type OrgTreeEvent } from '../../domain/org-tree.events';
import { DEPARTMENT_LIST_COLLECTION, departmentListCollectionOptions, type DepartmentListDocument } from './department-list.schema';

/**
 * One document per live department (ORG-4). Applied in stream order, each operation sets absolute
 * values, so a re-delivered batch leaves the same result.
 */
export const departmentListProjection: Projection = {
  name: 'identity.department-list.v1',
  categories: [ORG_TREE_CATEGORY],
  collections: [DEPARTMENT_LIST_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const departments = store.collection<DepartmentListDocument>(DEPARTMENT_LIST_COLLECTION, departmentListCollectionOptions);
    const ops: BulkOperation<DepartmentListDocument>[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as OrgTreeEvent & RecordedEvent;
      const position = recorded.position;
      const set = (id: string, fields: Partial<DepartmentListDocument>, at: string) =>
        ops.push({ updateOne: { filter: { _id: id, tenantId: event.data.enterpriseId }, update: { $set: { ...fields, updatedAt: at, position } } } });
      switch (event.type) {
        case 'identity.DepartmentCreated': {
          const d = event.data;
          const doc: DepartmentListDocument = {
            _id: d.departmentId,
            tenantId: d.enterpriseId,
            name: d.name,
            parentId: d.parentId,
            supervisorId: null,
            hidden: false,
            visibleToMemberIds: [],
            visibleToDepartmentIds: [],
            createdAt: d.createdAt,
            updatedAt: d.createdAt,
            position,
          };
          ops.push({ replaceOne: { filter: { _id: d.departmentId }, replacement: doc, upsert: true } });
          break;
        }
        case 'identity.DepartmentRenamed':
          set(event.data.departmentId, { name: event.data.name }, event.data.renamedAt);
          break;
        case 'identity.DepartmentMoved':
          set(event.data.departmentId, { parentId: event.data.toParentId }, event.data.movedAt);
          break;
        case 'identity.DepartmentSupervisorChanged':
          set(event.data.departmentId, { supervisorId: event.data.supervisorId }, event.data.changedAt);
          break;
        case 'identity.DepartmentVisibilityChanged':
          set(
            event.data.departmentId,
            { hidden: event.data.hidden, visibleToMemberIds: [...event.data.visibleToMemberIds], visibleToDepartmentIds: [...event.data.visibleToDepartmentIds] },
            event.data.changedAt,
          );
          break;
        case 'identity.DepartmentDeleted': {
          const d = event.data;
          ops.push({ deleteOne: { filter: { _id: d.departmentId, tenantId: d.enterpriseId } } });
          for (const childId of d.childIdsMovedToParent) set(childId, { parentId: d.parentId }, d.deletedAt);
          ops.push({
            updateMany: {
              filter: { tenantId: d.enterpriseId, visibleToDepartmentIds: d.departmentId },
              update: { $pull: { visibleToDepartmentIds: d.departmentId } },
            },
          });
          break;
        }
        default:
          break;
      }
    }
    if (ops.length > 0) await departments.bulkWrite(ops);
  },
};
