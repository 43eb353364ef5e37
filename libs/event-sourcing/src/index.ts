export * from './event';
export * from './event-store.port';
export * from './log-subscription';
export * from './in-memory-event-store';
export * from './decider';
export * from './command-handling';
export * from './stream-state-cache';
