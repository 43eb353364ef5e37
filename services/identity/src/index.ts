export * from './identity.module';
export * from './identity.tokens';
export * from './keys/signing-keys';
export * from './integration/identity.publisher';
export { ENTERPRISE_CATEGORY } from './enterprise/domain/enterprise.events';
export { MEMBER_CATEGORY } from './member/domain/member.events';
export { loadOrCreateMasterKey, parseMasterKey } from './binding/crypto/master-key';
