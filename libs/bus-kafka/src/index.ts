export * from './cloudevents';
export * from './topics';
export * from './connection';
export * from './kafka-relay';
export * from './kafka-bus';
