import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { leadDecider } from './lead.decider';

const base = { kind: 'CreateLead' as const, leadId: 'l1', enterpriseId: 'e1', createdBy: 'm1', now: '2026-03-01T08:00:00.000Z' };

describe('lead decider (LEAD-1, LEAD-2)', () => {
  it('creates a lead, normalising phone, e-mail domain and tags', () => {
    deciderSpec(leadDecider)
      .given([])
      .when({ ...base, name: ' Han Meimei ', phone: '+86 138-0013-8000', email: 'Han@Example.COM', tags: ['vip', ' vip ', '', 'expo'] })
      .then([
        {
          type: 'leads.LeadCreated',
          data: {
            leadId: 'l1',
            enterpriseId: 'e1',
            name: 'Han Meimei',
            phone: '+8613800138000',
            qq: null,
            email: 'Han@example.com',
            company: null,
            source: null,
            activityId: null,
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
      .thenMatches(([event]) => assert.equal(event?.data.qq, '10001'));
  });

  it('does not de-duplicate: the same phone makes two leads (LEAD-2)', () => {
    const first = deciderSpec(leadDecider).given([]).when({ ...base, phone: '13800138000' }).thenMatches(() => undefined);
    const second = deciderSpec(leadDecider).given([]).when({ ...base, leadId: 'l2', phone: '13800138000' }).thenMatches(() => undefined);
    assert.equal(first[0]?.data.phone, second[0]?.data.phone);
  });

  it('refuses creating the same lead twice', () => {
    const [created] = deciderSpec(leadDecider).given([]).when({ ...base, phone: '13800138000' }).thenMatches(() => undefined);
    deciderSpec(leadDecider).given([created!]).when({ ...base, phone: '13800138000' }).thenThrows(DomainError, /already exists/);
  });
});
