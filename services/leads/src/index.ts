export * from './leads.module';
export * from './leads.tokens';
export * from './leads.runtime';
export * from './integration/leads.publisher';
export { LEAD_CATEGORY } from './lead/domain/lead.events';
