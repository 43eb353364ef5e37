// configuration
export * from './config/load-config';
// logging
export * from './logging/logger';
// HTTP: problems, validation, adapter, app wiring, request ids, pagination
export * from './http/problem-details';
export * from './http/exception-mapping';
export * from './http/problem-details.filter';
export * from './http/validation';
export * from './http/fastify-adapter';
export * from './http/configure-http-app';
export * from './http/request-context';
export * from './http/pagination';
// health
export * from './health/health.registry';
export * from './health/health.module';
export { HealthController } from './health/health.controller';
// auth
export * from './auth/principal';
export * from './auth/jwt-token-verifier';
export * from './auth/decorators';
export * from './auth/auth.guard';
export * from './auth/auth.module';
// idempotency
export * from './idempotency/canonical-json';
export * from './idempotency/idempotent.decorator';
export * from './idempotency/idempotency.interceptor';
export * from './idempotency/idempotency.module';
