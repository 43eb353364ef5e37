import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, Projection, ReadStore } from '@leadstream/read-store';
import { MEMBER_CATEGORY, type MemberEvent } from '../../domain/member.events';
import { ORG_TREE_CATEGORY, type DepartmentDeleted } from '../../../department/domain/org-tree.events';
import { MEMBER_LIST_COLLECTION, memberListCollectionOptions, memberSearchText, type MemberListDocument } from './member-list.schema';

/**
 * The members list (ORG-5): one document per member. Creation replaces the document; later events
 * set fields, so replaying a batch after a crash gives the same result.
 */
export const memberListProjection: Projection = {
  // v2: departments (ORG-5) — a new name replays every event into the documents
  name: 'identity.member-list.v2',
  categories: [MEMBER_CATEGORY, ORG_TREE_CATEGORY],
  collections: [MEMBER_LIST_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const members = store.collection<MemberListDocument>(MEMBER_LIST_COLLECTION, memberListCollectionOptions);
    // Applied in order, each against the current document: the search text depends on earlier events.
    let ops: BulkOperation<MemberListDocument>[] = [];
    const flush = async () => {
      if (ops.length > 0) await members.bulkWrite(ops);
      ops = [];
    };
    for (const recorded of events) {
      const event = recorded as unknown as (MemberEvent | DepartmentDeleted) & RecordedEvent;
      switch (event.type) {
        case 'identity.MemberCreated': {
          const d = event.data;
          const doc: MemberListDocument = {
            _id: d.memberId,
            tenantId: d.enterpriseId,
            accountNumber: d.accountNumber,
            accountName: d.accountName,
            realName: d.realName,
            nickname: d.nickname ?? null,
            status: 'enabled',
            isAdmin: d.isAdmin,
            manager: d.manager ?? false,
            marketingOnly: d.marketingOnly ?? false,
            departmentIds: [],
            createdAt: d.createdAt,
            updatedAt: d.createdAt,
            searchText: '',
          };
          doc.searchText = memberSearchText(doc);
          ops.push({ replaceOne: { filter: { _id: d.memberId }, replacement: doc, upsert: true } });
          break;
        }
        case 'identity.MemberProfileChanged': {
          await flush();
          const d = event.data;
          const current = await members.findOne({ _id: d.memberId });
          if (!current) break;
          const searchText = memberSearchText({ ...current, realName: d.realName, nickname: d.nickname });
          await members.updateOne({ _id: d.memberId }, { $set: { realName: d.realName, nickname: d.nickname, searchText, updatedAt: d.changedAt } });
          break;
        }
        case 'identity.MemberDisabled':
          ops.push({ updateOne: { filter: { _id: event.data.memberId }, update: { $set: { status: 'disabled', updatedAt: event.data.disabledAt } } } });
          break;
        case 'identity.MemberEnabled':
          ops.push({ updateOne: { filter: { _id: event.data.memberId }, update: { $set: { status: 'enabled', updatedAt: event.data.enabledAt } } } });
          break;
        case 'identity.MemberManagementChanged':
          ops.push({ updateOne: { filter: { _id: event.data.memberId }, update: { $set: { manager: event.data.manager, updatedAt: event.data.changedAt } } } });
          break;
        case 'identity.MemberMoved':
          ops.push({ updateOne: { filter: { _id: event.data.memberId }, update: { $set: { departmentIds: [...event.data.departmentIds], updatedAt: event.data.movedAt } } } });
          break;
        case 'identity.DepartmentDeleted': {
          // ORG-4: the deleted department's members now belong to its parent (none when it was a root)
          await flush();
          const d = event.data;
          const affected = await members.find({ tenantId: d.enterpriseId, departmentIds: d.departmentId });
          for (const doc of affected) {
            const next = doc.departmentIds.filter((id) => id !== d.departmentId);
            if (d.membersMoveToDepartmentId !== null && !next.includes(d.membersMoveToDepartmentId)) next.push(d.membersMoveToDepartmentId);
            ops.push({ updateOne: { filter: { _id: doc._id }, update: { $set: { departmentIds: next, updatedAt: d.deletedAt } } } });
          }
          break;
        }
        case 'identity.MemberAdminStatusChanged':
          ops.push({ updateOne: { filter: { _id: event.data.memberId }, update: { $set: { isAdmin: event.data.isAdmin, manager: false, updatedAt: event.data.changedAt } } } });
          break;
        case 'identity.MemberPasswordChanged':
          ops.push({ updateOne: { filter: { _id: event.data.memberId }, update: { $set: { updatedAt: event.data.changedAt } } } });
          break;
        default:
          break;
      }
    }
    await flush();
  },
};
