import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { DomainError, type EventStore } from '@leadstream/event-sourcing';
import { principalOf } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../identity.tokens';
import { loadActor } from './member-access';

/**
 * Runs after the global AuthGuard on every members route: a token whose member has been disabled
 * (or no longer exists) is refused at once, not only when it expires (ORG-6), and so is an
 * administrator token whose member is no longer the administrator (ORG-2).
 */
@Injectable()
export class ActiveMemberGuard implements CanActivate {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal) {
      const actor = await loadActor(this.store, principal);
      // ORG-2: a token issued to a former administrator is refused here at once (elsewhere it keeps
      // `adm` until it expires, at most the access-token lifetime)
      if (principal.isAdmin && !actor.isAdmin) {
        throw new DomainError('unauthorized', 'identity.admin-changed', 'The administrator has changed since this token was issued; sign in again.');
      }
    }
    return true;
  }
}
