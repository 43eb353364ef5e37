import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { PublishedLog } from '@leadstream/bus';
import type { EventMetadata, NewEvent, RecordedEvent } from '@leadstream/event-sourcing';

/**
 * The services' real `PublishedLog`s and their contracts' JSON Schemas, loaded from the compiled
 * workspace packages at run time. On purpose not an `import`: this shared library must not depend
 * on services or on one service's contracts (module boundaries, and its build would then wait for
 * theirs); only its tests check, across the workspace, that what the relay publishes is what
 * the contracts promise. Needs the services built (`npm run build`).
 */
export interface JsonSchema {
  readonly $id: string;
  readonly [key: string]: unknown;
}

export interface PublishingService {
  readonly service: string;
  readonly log: PublishedLog;
  readonly schemas: Readonly<Record<string, JsonSchema>>;
  /** Domain events of the service, covering every published contract type and shape. */
  fixtures(): NewEventFor[];
}

export interface NewEventFor {
  readonly streamId: string;
  readonly event: NewEvent;
}

const load = createRequire(__filename);

function required<T>(pkg: string, exportName: string): T {
  let mod: Record<string, unknown>;
  try {
    mod = load(pkg) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`cannot load ${pkg} (run \`npm run build\` first): ${error instanceof Error ? error.message : String(error)}`);
  }
  const value = mod[exportName];
  if (value === undefined) throw new Error(`${pkg} has no export ${exportName}`);
  return value as T;
}

const metadata = (tenantId: string): EventMetadata => ({ tenantId, correlationId: randomUUID(), causationId: randomUUID(), actor: 'member-1' });

export function publishingServices(): PublishingService[] {
  const leadsLog = required<PublishedLog>('@leadstream/leads', 'leadsPublishedLog');
  const leadCategory = required<string>('@leadstream/leads', 'LEAD_CATEGORY');
  const behaviourCategory = required<string>('@leadstream/leads', 'LEAD_BEHAVIOUR_CATEGORY');
  const identityLog = required<PublishedLog>('@leadstream/identity', 'identityPublishedLog');
  const enterpriseCategory = required<string>('@leadstream/identity', 'ENTERPRISE_CATEGORY');
  const memberCategory = required<string>('@leadstream/identity', 'MEMBER_CATEGORY');
  return [
    {
      service: 'leads',
      log: leadsLog,
      schemas: required('@leadstream/contracts-leads', 'leadsContractSchemas'),
      fixtures: () => {
        const enterpriseId = randomUUID();
        const lead = (fields: Record<string, unknown>): NewEventFor => {
          const leadId = randomUUID();
          return {
            streamId: `${leadCategory}-${leadId}`,
            event: {
              type: 'leads.LeadCreated',
              data: {
                leadId,
                enterpriseId,
                personal: null,
                source: null,
                activityId: null,
                statusId: '00000000-0000-4000-8000-000000000001',
                ownerId: null,
                tags: [],
                createdBy: randomUUID(),
                createdAt: new Date().toISOString(),
                ...fields,
              },
              metadata: metadata(enterpriseId),
            },
          };
        };
        const sealed = { alg: 'A256GCM', iv: Buffer.alloc(12, 2).toString('base64'), ciphertext: Buffer.from('sealed change').toString('base64') };
        const follow = (type: string, data: Record<string, unknown>): NewEventFor => {
          const leadId = randomUUID();
          return { streamId: `${leadCategory}-${leadId}`, event: { type, data: { leadId, enterpriseId, ...data }, metadata: metadata(enterpriseId) } };
        };
        const at = new Date().toISOString();
        const by = randomUUID();
        return [
          follow('leads.LeadUpdated', { personal: sealed, updatedBy: by, updatedAt: at }),
          follow('leads.LeadUpdated', { personal: null, source: 'fair', updatedBy: by, updatedAt: at }),
          follow('leads.LeadStatusChanged', { previousStatusId: '00000000-0000-4000-8000-000000000001', statusId: '00000000-0000-4000-8000-000000000003', changedBy: by, changedAt: at }),
          follow('leads.LeadTagsChanged', { added: ['hot'], removed: ['vip'], tags: ['hot', 'b2b'], changedBy: by, changedAt: at }),
          follow('leads.LeadAssigned', { previousOwnerId: null, ownerId: randomUUID(), assignedBy: by, assignedAt: at }),
          follow('leads.LeadAssigned', { previousOwnerId: randomUUID(), ownerId: null, assignedBy: by, assignedAt: at }),
          follow('leads.LeadDeleted', { deletedBy: by, deletedAt: at }),
          (() => {
            const leadId = randomUUID();
            return {
              streamId: `${behaviourCategory}-${leadId}`,
              event: {
                type: 'leads.BehaviourRecorded',
                data: { enterpriseId, leadId, behaviourId: randomUUID(), type: 'click', occurredAt: at, properties: { campaign: 'spring', link: 'https://example.com/offer', position: 2, mobile: true }, recordedBy: by, recordedAt: at },
                metadata: metadata(enterpriseId),
              },
            };
          })(),
          lead({}),
          lead({
            // as the leads service's sealing store writes it: AES-256-GCM under the lead's key
            personal: { alg: 'A256GCM', iv: Buffer.alloc(12, 1).toString('base64'), ciphertext: Buffer.from('张伟 sealed').toString('base64') },
            source: 'webinar',
            activityId: randomUUID(),
            ownerId: randomUUID(),
            tags: ['b2b', 'vip'],
          }),
        ];
      },
    },
    {
      service: 'identity',
      log: identityLog,
      schemas: required('@leadstream/contracts-identity', 'identityContractSchemas'),
      fixtures: () => {
        const enterpriseId = randomUUID();
        const adminId = randomUUID();
        const member = (memberId: string, realName: string | null, isAdmin: boolean, accountNumber: string): NewEventFor => ({
          streamId: `${memberCategory}-${memberId}`,
          event: {
            type: 'identity.MemberCreated',
            data: {
              memberId,
              enterpriseId,
              accountNumber,
              accountName: isAdmin ? 'admin' : 'li.na',
              realName,
              // Never published: the schema's additionalProperties:false would catch a leak.
              passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
              isAdmin,
              createdAt: new Date().toISOString(),
            },
            metadata: metadata(enterpriseId),
          },
        });
        return [
          {
            streamId: `${enterpriseCategory}-${enterpriseId}`,
            event: {
              type: 'identity.EnterpriseCreated',
              data: { enterpriseId, name: 'Acme 中国', timeZone: 'Asia/Shanghai', seatQuota: 10, adminMemberId: adminId, createdAt: new Date().toISOString() },
              metadata: metadata(enterpriseId),
            },
          },
          member(adminId, null, true, '100001'),
          member(randomUUID(), '李娜', false, '100002'),
          // ORG-2 the administrator changed (enterprise stream)
          {
            streamId: `${enterpriseCategory}-${enterpriseId}`,
            event: {
              type: 'identity.AdministratorChanged',
              data: { enterpriseId, previousAdminMemberId: adminId, adminMemberId: randomUUID(), changedAt: new Date().toISOString() },
              metadata: metadata(enterpriseId),
            },
          },
          // ORG-3 operator disable/enable, on the enterprise stream
          {
            streamId: `${enterpriseCategory}-${enterpriseId}`,
            event: { type: 'identity.EnterpriseDisabled', data: { enterpriseId, disabledAt: new Date().toISOString() }, metadata: metadata(enterpriseId) },
          },
          {
            streamId: `${enterpriseCategory}-${enterpriseId}`,
            event: { type: 'identity.EnterpriseEnabled', data: { enterpriseId, enabledAt: new Date().toISOString() }, metadata: metadata(enterpriseId) },
          },
          // ORG-5/6/7 member changes, on the member stream (secrets in the domain event must not cross)
          ...((): NewEventFor[] => {
            const memberId = randomUUID();
            const at = new Date().toISOString();
            const change = (type: string, data: Record<string, unknown>): NewEventFor => ({
              streamId: `${memberCategory}-${memberId}`,
              event: { type, data: { memberId, enterpriseId, ...data }, metadata: metadata(enterpriseId) },
            });
            return [
              change('identity.MemberProfileChanged', { realName: '王芳', nickname: null, changedAt: at }),
              change('identity.MemberPasswordChanged', { passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', reset: true, changedBy: adminId, changedAt: at }),
              change('identity.MemberDisabled', { disabledBy: adminId, disabledAt: at }),
              change('identity.MemberEnabled', { enabledBy: adminId, enabledAt: at }),
              change('identity.MemberManagementChanged', { manager: true, changedBy: adminId, changedAt: at }),
              change('identity.MemberMoved', { departmentIds: [randomUUID()], movedBy: adminId, movedAt: at }),
            ];
          })(),
          // ORG-4 departments: one org-tree stream per enterprise (`identity.orgtree-<enterpriseId>`)
          ...((): NewEventFor[] => {
            const root = randomUUID();
            const sales = randomUUID();
            const at = new Date().toISOString();
            const tree = (type: string, data: Record<string, unknown>): NewEventFor => ({
              streamId: `identity.orgtree-${enterpriseId}`,
              event: { type, data: { enterpriseId, departmentId: sales, ...data }, metadata: metadata(enterpriseId) },
            });
            return [
              tree('identity.DepartmentCreated', { departmentId: root, name: '总部', parentId: null, createdBy: adminId, createdAt: at }),
              tree('identity.DepartmentCreated', { name: 'Sales', parentId: root, createdBy: adminId, createdAt: at }),
              tree('identity.DepartmentRenamed', { name: '销售部', renamedAt: at }),
              tree('identity.DepartmentMoved', { fromParentId: root, toParentId: null, movedAt: at }),
              tree('identity.DepartmentSupervisorChanged', { supervisorId: adminId, changedAt: at }),
              tree('identity.DepartmentSupervisorChanged', { supervisorId: null, changedAt: at }),
              tree('identity.DepartmentDeleted', { parentId: root, childIdsMovedToParent: [randomUUID()], membersMoveToDepartmentId: root, deletedAt: at }),
            ];
          })(),
          // ORG-10 account bindings: the sealed credentials in the domain event must not cross
          ...((): NewEventFor[] => {
            const bindingId = randomUUID();
            const at = new Date().toISOString();
            const credentials = { ciphertext: 'c2VhbGVk', iv: 'aXZpdml2aXZpdml2', tag: 'dGFndGFndGFndGFndGFn', keyVersion: 1 };
            const binding = (type: string, data: Record<string, unknown>): NewEventFor => ({
              streamId: `identity.binding-${bindingId}`,
              event: { type, data: { enterpriseId, bindingId, kind: 'wechat-official-account', accountId: 'gh_3f2a1b', ...data }, metadata: metadata(enterpriseId) },
            });
            return [
              binding('identity.AccountBound', { displayName: 'Acme 公众号', credentialFields: ['appId', 'appSecret'], credentials, boundBy: adminId, boundAt: at }),
              binding('identity.AccountRebound', { displayName: null, credentialFields: ['appId', 'appSecret'], credentials, reboundBy: adminId, reboundAt: at }),
              binding('identity.AccountUnbound', { unboundBy: adminId, unboundAt: at }),
            ];
          })(),
          // ORG-8 roles: one stream per role (`identity.role-<roleId>`), a member's roles on `identity.memberroles-<memberId>`
          ...((): NewEventFor[] => {
            const roleId = randomUUID();
            const memberId = randomUUID();
            const at = new Date().toISOString();
            const role = (type: string, data: Record<string, unknown>): NewEventFor => ({
              streamId: `identity.role-${roleId}`,
              event: { type, data: { enterpriseId, roleId, ...data }, metadata: metadata(enterpriseId) },
            });
            const roles = (type: string, data: Record<string, unknown>): NewEventFor => ({
              streamId: `identity.memberroles-${memberId}`,
              event: { type, data: { enterpriseId, memberId, roleId, ...data }, metadata: metadata(enterpriseId) },
            });
            return [
              role('identity.RoleCreated', { name: '销售', packages: ['leads:read', 'leads:write'], copiedFrom: null, createdBy: adminId, createdAt: at }),
              role('identity.RoleChanged', { name: 'Sales', previousName: '销售', packages: ['leads:export', 'leads:read'], changedBy: adminId, changedAt: at }),
              roles('identity.RoleAssigned', { assignedBy: adminId, assignedAt: at }),
              roles('identity.RoleUnassigned', { unassignedBy: adminId, unassignedAt: at }),
              role('identity.RoleDeleted', { name: 'Sales', deletedBy: adminId, deletedAt: at }),
            ];
          })(),
        ];
      },
    },
  ];
}

/** A fixture as the store would record it (for the pure, store-less checks). */
export function recordedFrom(fixture: NewEventFor, position: number): RecordedEvent {
  return {
    id: fixture.event.id ?? randomUUID(),
    type: fixture.event.type,
    data: fixture.event.data,
    metadata: fixture.event.metadata,
    streamId: fixture.streamId,
    revision: 0,
    position,
    recordedAt: new Date().toISOString(),
  };
}
