import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BulkOperation, CollectionOptions, Document, Projection, ReadStore } from '@leadstream/read-store';
import { BINDING_CATEGORY, type BindingEvent, type BindingKind } from '../domain/binding.events';

export const ACCOUNT_BINDING_LIST_COLLECTION = 'identity_account_bindings';

/** One document per live binding. Holds no credentials, not even their ciphertext. */
export interface AccountBindingListDocument extends Document {
  _id: string;
  tenantId: string;
  kind: BindingKind;
  accountId: string;
  displayName: string | null;
  credentialFields: string[];
  boundBy: string;
  createdAt: string;
  updatedAt: string;
  /** Global position of the last event applied. */
  position: number;
}

export const accountBindingListCollectionOptions: CollectionOptions = {
  indexes: [{ keys: { tenantId: 1, createdAt: 1, _id: 1 }, name: 'tenant_created' }],
};

/** ORG-10 account bindings list; an unbound binding leaves it. Idempotent: absolute values only. */
export const accountBindingListProjection: Projection = {
  name: 'identity.account-binding-list.v1',
  categories: [BINDING_CATEGORY],
  collections: [ACCOUNT_BINDING_LIST_COLLECTION],
  async handle(events: readonly RecordedEvent[], store: ReadStore): Promise<void> {
    const bindings = store.collection<AccountBindingListDocument>(ACCOUNT_BINDING_LIST_COLLECTION, accountBindingListCollectionOptions);
    const ops: BulkOperation<AccountBindingListDocument>[] = [];
    for (const recorded of events) {
      const event = recorded as unknown as BindingEvent & RecordedEvent;
      const position = recorded.position;
      switch (event.type) {
        case 'identity.AccountBound': {
          const d = event.data;
          const doc: AccountBindingListDocument = {
            _id: d.bindingId,
            tenantId: d.enterpriseId,
            kind: d.kind,
            accountId: d.accountId,
            displayName: d.displayName,
            credentialFields: [...d.credentialFields],
            boundBy: d.boundBy,
            createdAt: d.boundAt,
            updatedAt: d.boundAt,
            position,
          };
          ops.push({ replaceOne: { filter: { _id: d.bindingId }, replacement: doc, upsert: true } });
          break;
        }
        case 'identity.AccountRebound': {
          const d = event.data;
          ops.push({
            updateOne: {
              filter: { _id: d.bindingId, tenantId: d.enterpriseId },
              update: { $set: { accountId: d.accountId, displayName: d.displayName, credentialFields: [...d.credentialFields], updatedAt: d.reboundAt, position } },
            },
          });
          break;
        }
        case 'identity.AccountUnbound':
          ops.push({ deleteOne: { filter: { _id: event.data.bindingId, tenantId: event.data.enterpriseId } } });
          break;
        default:
          break;
      }
    }
    if (ops.length > 0) await bindings.bulkWrite(ops);
  },
};
