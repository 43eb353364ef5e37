import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { MEMBER_ROLES_CATEGORY, ROLE_CATEGORY, type MemberRolesEvent, type RoleEvent } from '../domain/role.events';
import { ROLE_LIST_COLLECTION, roleListCollectionOptions, type RoleListDocument } from './role-list.schema';

/**
 * One document per live role (ORG-8) with its members. Every operation is idempotent ($set,
 * $addToSet, $pull, replace), so a re-delivered batch leaves the same result.
 */
export const roleListProjection: Projection = {
  name: 'identity.role-list.v1',
  categories: [ROLE_CATEGORY, MEMBER_ROLES_CATEGORY],
  collections: [ROLE_LIST_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const roles = store.collection<RoleListDocument>(ROLE_LIST_COLLECTION, roleListCollectionOptions);
    const ops: BulkOperation<RoleListDocument>[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as (RoleEvent | MemberRolesEvent) & RecordedEvent;
      const position = recorded.position;
      switch (event.type) {
        case 'identity.RoleCreated': {
          const d = event.data;
          const doc: RoleListDocument = {
            _id: d.roleId,
            tenantId: d.enterpriseId,
            name: d.name,
            packages: [...d.packages],
            memberIds: [],
            copiedFrom: d.copiedFrom,
            createdAt: d.createdAt,
            updatedAt: d.createdAt,
            position,
          };
          ops.push({ replaceOne: { filter: { _id: d.roleId }, replacement: doc, upsert: true } });
          break;
        }
        case 'identity.RoleChanged': {
          const d = event.data;
          ops.push({ updateOne: { filter: { _id: d.roleId, tenantId: d.enterpriseId }, update: { $set: { name: d.name, packages: [...d.packages], updatedAt: d.changedAt, position } } } });
          break;
        }
        case 'identity.RoleDeleted':
          ops.push({ deleteOne: { filter: { _id: event.data.roleId, tenantId: event.data.enterpriseId } } });
          break;
        case 'identity.RoleAssigned': {
          const d = event.data;
          ops.push({ updateOne: { filter: { _id: d.roleId, tenantId: d.enterpriseId }, update: { $addToSet: { memberIds: d.memberId }, $set: { position } } } });
          break;
        }
        case 'identity.RoleUnassigned': {
          const d = event.data;
          ops.push({ updateOne: { filter: { _id: d.roleId, tenantId: d.enterpriseId }, update: { $pull: { memberIds: d.memberId }, $set: { position } } } });
          break;
        }
        default:
          break;
      }
    }
    if (ops.length > 0) await roles.bulkWrite(ops);
  },
};
