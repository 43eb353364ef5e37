export {
  DEFAULT_CHECKPOINT_COLLECTION,
  MongoReadStore,
  type MongoReadStoreOptions,
  type ServerKind,
} from './mongo-read-store';
