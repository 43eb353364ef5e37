export * from './kurrentdb-event-store';
export { DEFAULT_MAX_APPEND_SIZE, EventTooLargeError, PartialAppendError, chunkBySize } from './append-chunks';
export { categoryFilter, type CategoryFilter } from './category-filter';
