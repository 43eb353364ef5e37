export * from './event-store-url';
export * from './serve-http';
export * from './service-config';
export * from './service-stores';
export * from './service-relay';
