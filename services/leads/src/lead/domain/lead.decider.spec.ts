import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { leadDecider } from './lead.decider';
import type { LeadEvent } from './lead.events';

const NEW = '00000000-0000-4000-8000-000000000001';
const QUALIFIED = '00000000-0000-4000-8000-000000000003';
const base = { kind: 'CreateLead' as const, leadId: 'l1', enterpriseId: 'e1', actor: 'm1', statusId: NEW, now: '2026-03-01T08:00:00.000Z' };
const later = { leadId: 'l1', enterpriseId: 'e1', actor: 'm2', now: '2026-03-02T08:00:00.000Z' };

function created(fields: Record<string, unknown> = {}): LeadEvent {
  const [event] = deciderSpec(leadDecider)
    .given([])
    .when({ ...base, phone: '13800138000', tags: ['vip'], ...fields })
    .thenMatches(() => undefined);
  return event!;
}

describe('lead decider (LEAD-1, LEAD-2)', () => {
  it('creates a lead, normalising phone, e-mail domain and tags', () => {
    deciderSpec(leadDecider)
      .given([])
      .when({ ...base, name: ' Han Meimei ', phone: '+86 138-0013-8000', email: 'Han@Example.COM', title: ' CTO ', tags: ['vip', ' vip ', '', 'expo'], fields: { f1: 'x' } })
      .then([
        {
          type: 'leads.LeadCreated',
          data: {
            leadId: 'l1',
            enterpriseId: 'e1',
            personal: { name: 'Han Meimei', phone: '+8613800138000', qq: null, email: 'Han@example.com', company: null, title: 'CTO', fields: { f1: 'x' } },
            source: null,
            activityId: null,
            statusId: NEW,
            ownerId: null,
            tags: ['vip', 'expo'],
            createdBy: 'm1',
            createdAt: '2026-03-01T08:00:00.000Z',
          },
        },
      ]);
  });

  it('refuses a lead without phone, QQ and e-mail, naming all three', () => {
    deciderSpec(leadDecider)
      .given([])
      .when({ ...base, name: 'Nobody', phone: '  ', email: null })
      .thenThrows(DomainError, /at least one/, (error) => {
        assert.deepEqual(Object.keys((error as DomainError).fields).sort(), ['email', 'phone', 'qq']);
      });
  });

  it('checks phone, QQ and e-mail formats', () => {
    deciderSpec(leadDecider)
      .given([])
      .when({ ...base, phone: '12ab', qq: '0123', email: 'not-an-email' })
      .thenThrows(DomainError, /not valid/, (error) => {
        assert.deepEqual(Object.keys((error as DomainError).fields).sort(), ['email', 'phone', 'qq']);
      });
    deciderSpec(leadDecider).given([]).when({ ...base, qq: '1234567890123' }).thenThrows(DomainError, /not valid/);
  });

  it('accepts a QQ number alone', () => {
    deciderSpec(leadDecider)
      .given([])
      .when({ ...base, qq: '10001' })
      .thenMatches(([event]) => assert.equal(event?.type === 'leads.LeadCreated' && event.data.personal?.qq, '10001'));
  });

  it('does not de-duplicate: the same phone makes two leads (LEAD-2)', () => {
    const first = created();
    const second = deciderSpec(leadDecider).given([]).when({ ...base, leadId: 'l2', phone: '13800138000' }).thenMatches(() => undefined)[0]!;
    assert.ok(first.type === 'leads.LeadCreated' && second.type === 'leads.LeadCreated');
    assert.equal(first.data.personal?.phone, second.data.personal?.phone);
  });

  it('refuses creating the same lead twice', () => {
    deciderSpec(leadDecider).given([created()]).when({ ...base, phone: '13800138000' }).thenThrows(DomainError, /already exists/);
  });
});

describe('lead decider: operations (LEAD-6)', () => {
  it('edits only what changed and keeps the contact rule', () => {
    deciderSpec(leadDecider)
      .given([created({ email: 'a@example.com', fields: { f1: 'x', f2: 3 } })])
      .when({ kind: 'UpdateLead', ...later, contact: { phone: null, name: 'Ann', email: 'a@example.com' }, fields: { f1: 'x', f2: null, f3: ['o1'] } })
      .then([
        {
          type: 'leads.LeadUpdated',
          data: { leadId: 'l1', enterpriseId: 'e1', personal: { phone: null, name: 'Ann', fields: { f2: null, f3: ['o1'] } }, updatedBy: 'm2', updatedAt: later.now },
        },
      ]);
  });

  it('refuses an edit that removes the last contact, naming phone, qq and email', () => {
    deciderSpec(leadDecider)
      .given([created()])
      .when({ kind: 'UpdateLead', ...later, contact: { phone: '' } })
      .thenThrows(DomainError, /at least one/, (e) => assert.deepEqual(Object.keys((e as DomainError).fields).sort(), ['email', 'phone', 'qq']));
  });

  it('an edit that changes nothing records nothing', () => {
    deciderSpec(leadDecider)
      .given([created({ fields: { f1: ['a', 'b'] } })])
      .when({ kind: 'UpdateLead', ...later, contact: { phone: '138 0013 8000' }, fields: { f1: ['a', 'b'], f9: null } })
      .then([]);
  });

  it('changes status once; the same status again is a no-op', () => {
    const [changed] = deciderSpec(leadDecider)
      .given([created()])
      .when({ kind: 'SetLeadStatus', ...later, statusId: QUALIFIED })
      .then([{ type: 'leads.LeadStatusChanged', data: { leadId: 'l1', enterpriseId: 'e1', previousStatusId: NEW, statusId: QUALIFIED, changedBy: 'm2', changedAt: later.now } }]);
    deciderSpec(leadDecider).given([created(), changed!]).when({ kind: 'SetLeadStatus', ...later, statusId: QUALIFIED }).then([]);
  });

  it('adds and removes tags, reporting what actually changed', () => {
    deciderSpec(leadDecider)
      .given([created()])
      .when({ kind: 'ChangeLeadTags', ...later, add: ['hot', 'vip', ' hot '], remove: ['vip', 'absent'] })
      .then([{ type: 'leads.LeadTagsChanged', data: { leadId: 'l1', enterpriseId: 'e1', added: ['hot'], removed: ['vip'], tags: ['hot'], changedBy: 'm2', changedAt: later.now } }]);
    deciderSpec(leadDecider).given([created()]).when({ kind: 'ChangeLeadTags', ...later, add: ['vip'] }).then([]);
    const many = Array.from({ length: 50 }, (_v, i) => `t${i}`);
    deciderSpec(leadDecider).given([created()]).when({ kind: 'ChangeLeadTags', ...later, add: many }).thenThrows(DomainError, /at most 50/);
  });

  it('assigns and unassigns an owner', () => {
    const [assigned] = deciderSpec(leadDecider)
      .given([created()])
      .when({ kind: 'AssignLead', ...later, ownerId: 'owner-1' })
      .then([{ type: 'leads.LeadAssigned', data: { leadId: 'l1', enterpriseId: 'e1', previousOwnerId: null, ownerId: 'owner-1', assignedBy: 'm2', assignedAt: later.now } }]);
    deciderSpec(leadDecider).given([created(), assigned!]).when({ kind: 'AssignLead', ...later, ownerId: 'owner-1' }).then([]);
    deciderSpec(leadDecider)
      .given([created(), assigned!])
      .when({ kind: 'AssignLead', ...later, ownerId: null })
      .thenMatches(([e]) => assert.ok(e?.type === 'leads.LeadAssigned' && e.data.ownerId === null && e.data.previousOwnerId === 'owner-1'));
  });

  it('deletes once; a deleted lead is not found for every later command', () => {
    const [deleted] = deciderSpec(leadDecider)
      .given([created()])
      .when({ kind: 'DeleteLead', ...later })
      .then([{ type: 'leads.LeadDeleted', data: { leadId: 'l1', enterpriseId: 'e1', deletedBy: 'm2', deletedAt: later.now } }]);
    for (const command of [
      { kind: 'DeleteLead' as const, ...later },
      { kind: 'SetLeadStatus' as const, ...later, statusId: QUALIFIED },
      { kind: 'UpdateLead' as const, ...later, contact: { name: 'x' } },
      { kind: 'AssignLead' as const, ...later, ownerId: 'o' },
      { kind: 'ChangeLeadTags' as const, ...later, add: ['x'] },
    ]) {
      deciderSpec(leadDecider).given([created(), deleted!]).when(command).thenThrows(DomainError, /not found/);
    }
  });

  it("another enterprise's command does not find the lead", () => {
    deciderSpec(leadDecider).given([created()]).when({ kind: 'SetLeadStatus', ...later, enterpriseId: 'e2', statusId: QUALIFIED }).thenThrows(DomainError, /not found/);
  });

  it('an erased lead (personal data unreadable) cannot be edited', () => {
    const erased = created();
    const withoutPersonal = erased.type === 'leads.LeadCreated' ? { ...erased, data: { ...erased.data, personal: null } } : erased;
    deciderSpec(leadDecider).given([withoutPersonal]).when({ kind: 'UpdateLead', ...later, contact: { name: 'x' } }).thenThrows(DomainError, /not found/);
  });
});
