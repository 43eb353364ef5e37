export { EmbeddedReadStore, type EmbeddedReadStoreOptions } from './embedded-read-store';
export { DiskReadStore, type DiskReadStoreOptions } from './disk/disk-read-store';
