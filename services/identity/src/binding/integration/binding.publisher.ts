import {
  AccountBoundV1Type,
  AccountReboundV1Type,
  AccountUnboundV1Type,
  type AccountBoundV1,
  type AccountReboundV1,
  type AccountUnboundV1,
} from '@leadstream/contracts-identity';
import type { RecordedEvent } from '@leadstream/event-sourcing';
import type { BindingEvent } from '../domain/binding.events';

/**
 * Account-binding domain events → identity v1 contracts, keyed by binding id. The sealed
 * credentials stay behind: only the names of the credential fields cross.
 */
export function mapBindingEvent(event: RecordedEvent): { type: string; subject: string; data: unknown } | null {
  const e = event as unknown as BindingEvent;
  switch (e.type) {
    case 'identity.AccountBound': {
      const d = e.data;
      const data: AccountBoundV1 = {
        enterpriseId: d.enterpriseId,
        bindingId: d.bindingId,
        kind: d.kind,
        accountId: d.accountId,
        displayName: d.displayName,
        credentialFields: [...d.credentialFields],
        boundBy: d.boundBy,
        boundAt: d.boundAt,
      };
      return { type: AccountBoundV1Type, subject: d.bindingId, data };
    }
    case 'identity.AccountRebound': {
      const d = e.data;
      const data: AccountReboundV1 = {
        enterpriseId: d.enterpriseId,
        bindingId: d.bindingId,
        kind: d.kind,
        accountId: d.accountId,
        displayName: d.displayName,
        credentialFields: [...d.credentialFields],
        reboundBy: d.reboundBy,
        reboundAt: d.reboundAt,
      };
      return { type: AccountReboundV1Type, subject: d.bindingId, data };
    }
    case 'identity.AccountUnbound': {
      const d = e.data;
      const data: AccountUnboundV1 = { enterpriseId: d.enterpriseId, bindingId: d.bindingId, kind: d.kind, accountId: d.accountId, unboundBy: d.unboundBy, unboundAt: d.unboundAt };
      return { type: AccountUnboundV1Type, subject: d.bindingId, data };
    }
    default:
      return null;
  }
}
