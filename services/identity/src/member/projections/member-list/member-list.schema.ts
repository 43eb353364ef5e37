import type { CollectionOptions, Document } from '@leadstream/read-store';

export const MEMBER_LIST_COLLECTION = 'identity_member_list';

/** The members read model. Password hashes are never copied here. */
export interface MemberListDocument extends Document {
  _id: string;
  tenantId: string;
  accountNumber: string;
  accountName: string;
  realName: string | null;
  nickname: string | null;
  status: 'enabled' | 'disabled';
  isAdmin: boolean;
  manager: boolean;
  marketingOnly: boolean;
  /** ORG-5: the member's departments; a deleted department's members show its parent instead. */
  departmentIds: string[];
  createdAt: string;
  updatedAt: string;
  /** Lower-cased account name, number, real name and nickname, for `q` search. */
  searchText: string;
}

export const memberListCollectionOptions: CollectionOptions = {
  indexes: [
    { keys: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' },
    { keys: { tenantId: 1, status: 1, createdAt: 1 }, name: 'tenant_status_created' },
    { keys: { tenantId: 1, departmentIds: 1, createdAt: 1 }, name: 'tenant_departments_created' },
  ],
};

export function memberSearchText(doc: Pick<MemberListDocument, 'accountName' | 'accountNumber' | 'realName' | 'nickname'>): string {
  return [doc.accountName, doc.accountNumber, doc.realName, doc.nickname].filter((v) => v !== null).join(' ').toLowerCase();
}
