import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { enterpriseDecider } from './enterprise.decider';
import type { EnterpriseCreated } from './enterprise.events';

const create = {
  kind: 'CreateEnterprise' as const,
  enterpriseId: 'e1',
  name: '  Acme  ',
  timeZone: 'Europe/Berlin',
  seatQuota: 10,
  adminMemberId: 'm1',
  now: '2026-01-01T00:00:00.000Z',
};
const created: EnterpriseCreated = {
  type: 'identity.EnterpriseCreated',
  data: { enterpriseId: 'e1', name: 'Acme', timeZone: 'Europe/Berlin', seatQuota: 10, adminMemberId: 'm1', createdAt: '2026-01-01T00:00:00.000Z' },
};

describe('enterprise decider', () => {
  it('creates an enterprise with a trimmed name', () => {
    deciderSpec(enterpriseDecider).given([]).when(create).then([created]);
  });

  it('refuses to create it twice', () => {
    deciderSpec(enterpriseDecider).given([created]).when(create).thenThrows(DomainError, /already exists/);
  });

  it('names every invalid field', () => {
    deciderSpec(enterpriseDecider)
      .given([])
      .when({ ...create, name: '   ', timeZone: 'Mars/Olympus', seatQuota: 0 })
      .thenThrows(DomainError, /not valid/, (error) => {
        assert.deepEqual(Object.keys((error as DomainError).fields).sort(), ['name', 'seatQuota', 'timeZone']);
      });
  });

  it('is enabled once created', () => {
    const state = enterpriseDecider.evolve(enterpriseDecider.initialState(), created);
    assert.equal(state.enabled, true);
    assert.equal(state.timeZone, 'Europe/Berlin');
  });
});
