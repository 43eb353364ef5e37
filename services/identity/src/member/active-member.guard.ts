import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { EventStore } from '@leadstream/event-sourcing';
import { principalOf } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../identity.tokens';
import { loadActor } from './member-access';

/**
 * Runs after the global AuthGuard on every members route: a token whose member has been disabled
 * (or no longer exists) is refused at once, not only when it expires (ORG-6).
 */
@Injectable()
export class ActiveMemberGuard implements CanActivate {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const principal = principalOf(context.switchToHttp().getRequest());
    if (principal) await loadActor(this.store, principal);
    return true;
  }
}
