export * from './integration-event';
export * from './message-bus.port';
export * from './inbox';
export * from './embedded-bus';
