import { describe, it } from 'node:test';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { bindingDecider } from './binding.decider';
import type { AccountBound, AccountRebound, AccountUnbound } from './binding.events';

const now = '2026-01-01T00:00:00.000Z';
const sealed = { ciphertext: 'Y2lwaGVy', iv: 'aXZpdml2aXZpdml2', tag: 'dGFndGFndGFndGFndGFn', keyVersion: 1 };
const sealed2 = { ...sealed, ciphertext: 'b3RoZXI=' };
const base = { enterpriseId: 'e1', bindingId: 'b1', actor: 'm1', now };

const bound: AccountBound = {
  type: 'identity.AccountBound',
  data: {
    enterpriseId: 'e1',
    bindingId: 'b1',
    kind: 'wechat-official-account',
    accountId: 'gh_1',
    displayName: 'Acme 公众号',
    credentialFields: ['appId', 'appSecret'],
    credentials: sealed,
    boundBy: 'm1',
    boundAt: now,
  },
};
const unbound: AccountUnbound = {
  type: 'identity.AccountUnbound',
  data: { enterpriseId: 'e1', bindingId: 'b1', kind: 'wechat-official-account', accountId: 'gh_1', unboundBy: 'm1', unboundAt: now },
};

describe('account binding decider (ORG-10)', () => {
  it('binds', () => {
    deciderSpec(bindingDecider)
      .given([])
      .when({ ...base, kind: 'BindAccount', platform: 'wechat-official-account', accountId: 'gh_1', displayName: 'Acme 公众号', credentialFields: ['appId', 'appSecret'], credentials: sealed })
      .then([bound]);
  });

  it('refuses to bind the same binding id twice', () => {
    deciderSpec(bindingDecider)
      .given([bound])
      .when({ ...base, kind: 'BindAccount', platform: 'email', accountId: 'x', displayName: null, credentialFields: ['password'], credentials: sealed })
      .thenThrows(DomainError, /already exists/);
  });

  it('rebinds: new credentials, unchanged account id and name unless given', () => {
    const rebound: AccountRebound = {
      type: 'identity.AccountRebound',
      data: {
        enterpriseId: 'e1',
        bindingId: 'b1',
        kind: 'wechat-official-account',
        accountId: 'gh_1',
        displayName: 'Acme 公众号',
        credentialFields: ['appId', 'appSecret', 'token'],
        credentials: sealed2,
        reboundBy: 'm1',
        reboundAt: now,
      },
    };
    deciderSpec(bindingDecider).given([bound]).when({ ...base, kind: 'RebindAccount', credentialFields: ['appId', 'appSecret', 'token'], credentials: sealed2 }).then([rebound]);
    deciderSpec(bindingDecider)
      .given([bound])
      .when({ ...base, kind: 'RebindAccount', accountId: 'gh_2', displayName: null, credentialFields: ['appId'], credentials: sealed2 })
      .then([{ ...rebound, data: { ...rebound.data, accountId: 'gh_2', displayName: null, credentialFields: ['appId'] } }]);
  });

  it('unbinds', () => {
    deciderSpec(bindingDecider).given([bound]).when({ ...base, kind: 'UnbindAccount' }).then([unbound]);
  });

  it('an unknown, unbound or other tenant’s binding is not found', () => {
    const rebind = { ...base, kind: 'RebindAccount' as const, credentialFields: ['a'], credentials: sealed };
    deciderSpec(bindingDecider).given([]).when(rebind).thenThrows(DomainError, /not found/);
    deciderSpec(bindingDecider).given([bound, unbound]).when(rebind).thenThrows(DomainError, /not found/);
    deciderSpec(bindingDecider).given([bound, unbound]).when({ ...base, kind: 'UnbindAccount' }).thenThrows(DomainError, /not found/);
    deciderSpec(bindingDecider).given([bound]).when({ ...rebind, enterpriseId: 'e2' }).thenThrows(DomainError, /not found/);
    deciderSpec(bindingDecider).given([bound]).when({ ...base, enterpriseId: 'e2', kind: 'UnbindAccount' }).thenThrows(DomainError, /not found/);
  });
});
