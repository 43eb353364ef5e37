export { EmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded-read-store';
