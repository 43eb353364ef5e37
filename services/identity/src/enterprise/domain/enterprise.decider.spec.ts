import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { enterpriseDecider } from './enterprise.decider';
import type { EnterpriseCreated, EnterpriseDisabled, EnterpriseEnabled } from './enterprise.events';

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

  describe('ORG-3: disable ("in beta") and enable (operator)', () => {
    const at = '2026-02-01T00:00:00.000Z';
    const disabled: EnterpriseDisabled = { type: 'identity.EnterpriseDisabled', data: { enterpriseId: 'e1', disabledAt: at } };
    const enabled: EnterpriseEnabled = { type: 'identity.EnterpriseEnabled', data: { enterpriseId: 'e1', enabledAt: at } };

    it('disables an enabled enterprise, and its state is no longer enabled', () => {
      deciderSpec(enterpriseDecider).given([created]).when({ kind: 'DisableEnterprise', now: at }).then([disabled]);
      const state = [created, disabled].reduce((s, e) => enterpriseDecider.evolve(s, e), enterpriseDecider.initialState());
      assert.equal(state.enabled, false);
    });

    it('enables a disabled enterprise again', () => {
      deciderSpec(enterpriseDecider).given([created, disabled]).when({ kind: 'EnableEnterprise', now: at }).then([enabled]);
      const state = [created, disabled, enabled].reduce((s, e) => enterpriseDecider.evolve(s, e), enterpriseDecider.initialState());
      assert.equal(state.enabled, true);
    });

    it('is idempotent: disabling a disabled or enabling an enabled enterprise writes nothing', () => {
      deciderSpec(enterpriseDecider).given([created, disabled]).when({ kind: 'DisableEnterprise', now: at }).thenNothing();
      deciderSpec(enterpriseDecider).given([created]).when({ kind: 'EnableEnterprise', now: at }).thenNothing();
      deciderSpec(enterpriseDecider).given([created, disabled, enabled]).when({ kind: 'EnableEnterprise', now: at }).thenNothing();
    });

    it('creates an enterprise "in beta" (disabled) when asked to', () => {
      const inBeta: EnterpriseDisabled = { type: 'identity.EnterpriseDisabled', data: { enterpriseId: 'e1', disabledAt: create.now } };
      deciderSpec(enterpriseDecider).given([]).when({ ...create, enabled: false }).then([created, inBeta]);
      deciderSpec(enterpriseDecider).given([]).when({ ...create, enabled: true }).then([created]);
    });

    it('refuses an unknown enterprise (not found)', () => {
      for (const kind of ['DisableEnterprise', 'EnableEnterprise'] as const) {
        deciderSpec(enterpriseDecider)
          .given([])
          .when({ kind, now: at })
          .thenThrows(DomainError, /not found/, (error) => assert.equal((error as DomainError).kind, 'not_found'));
      }
    });
  });
});
