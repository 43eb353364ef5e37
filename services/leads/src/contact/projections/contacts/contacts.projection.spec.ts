import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LeadEvent } from '../../../lead/domain/lead.events';
import { applyLeadEvent } from './contacts.projection';

const created = (personal: Record<string, string | null> | null): LeadEvent => ({
  type: 'leads.LeadCreated',
  data: {
    leadId: 'l1', enterpriseId: 't1',
    personal: personal === null ? null : { name: 'Han', phone: null, qq: null, email: null, company: 'Acme', title: null, fields: {}, ...personal },
    source: null, activityId: null, statusId: 's', ownerId: null, tags: [], createdBy: 'm', createdAt: '2026-01-01T00:00:00.000Z',
  },
  metadata: {},
} as unknown as LeadEvent);
const updated = (personal: Record<string, string | null>, at = '2026-01-02T00:00:00.000Z'): LeadEvent =>
  ({ type: 'leads.LeadUpdated', data: { leadId: 'l1', enterpriseId: 't1', personal, updatedBy: 'm', updatedAt: at }, metadata: {} }) as unknown as LeadEvent;

describe('contacts projection: one lead event on its record', () => {
  it('creates the record with normalised identifiers and its log position as seq', () => {
    const r = applyLeadEvent(undefined, created({ phone: '+86 138-0013-8000', email: ' Han@Example.com' }), 5)!;
    assert.equal(r.structural, true);
    assert.deepEqual(r.record.identifiers, ['email:han@example.com', 'phone:+8613800138000']);
    assert.deepEqual([r.record.seq, r.record.position, r.record.name, r.record.contactId], [5, 5, 'Han', null]);
  });

  it('an edit replaces only the kinds it names; the same identifier written differently is no change', () => {
    const r = applyLeadEvent(undefined, created({ phone: '13800138000', email: 'a@b.cn' }), 1)!.record;
    const same = applyLeadEvent(r, updated({ phone: '138 0013 8000' }), 2)!;
    assert.equal(same.structural, false);
    assert.equal(same.record.lastActivityAt, '2026-01-02T00:00:00.000Z');
    const cleared = applyLeadEvent(r, updated({ email: null, qq: '10 001' }), 2)!;
    assert.equal(cleared.structural, true);
    assert.deepEqual(cleared.record.identifiers, ['phone:13800138000', 'qq:10001']);
  });

  it('ignores what was applied already, and anything after deletion; deletion keeps nothing personal', () => {
    const r = applyLeadEvent(undefined, created({ phone: '13800138000' }), 3)!.record;
    assert.equal(applyLeadEvent(r, updated({ phone: '139' }), 3), null, 'redelivered');
    assert.equal(applyLeadEvent(r, created({ phone: '1' }), 9), null, 'created once');
    const del = { type: 'leads.LeadDeleted', data: { leadId: 'l1', enterpriseId: 't1', deletedBy: 'm', deletedAt: '2026-01-03T00:00:00.000Z' }, metadata: {} } as unknown as LeadEvent;
    const gone = applyLeadEvent(r, del, 4)!;
    assert.equal(gone.structural, true);
    assert.deepEqual([gone.record.identifiers, gone.record.name, gone.record.company, gone.record.contactId, gone.record.deleted], [[], null, null, null, true]);
    assert.equal(applyLeadEvent(gone.record, updated({ phone: '13800138000' }), 5), null);
    assert.equal(applyLeadEvent(undefined, updated({ phone: '13800138000' }), 5), null, 'never created here');
  });

  it('an erased lead read back (personal: null) has no identifiers', () => {
    assert.deepEqual(applyLeadEvent(undefined, created(null), 1)!.record.identifiers, []);
  });
});
