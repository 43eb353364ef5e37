import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../../identity.tokens';
import { CredentialVault, type Credentials } from '../credential-vault';
import { BINDING_CATEGORY, type BindingKind } from '../domain/binding.events';
import { bindingDecider, type BindingCommand } from '../domain/binding.decider';

export function bindingStreamId(bindingId: string): string {
  return streamIdOf(BINDING_CATEGORY, bindingId);
}

/** What a caller asks; the handler encrypts the credentials before the decider sees them. */
export type AccountBindingChange =
  | { readonly kind: 'BindAccount'; readonly platform: BindingKind; readonly accountId: string; readonly displayName: string | null; readonly credentials: Credentials }
  | { readonly kind: 'RebindAccount'; readonly accountId?: string; readonly displayName?: string | null; readonly credentials: Credentials }
  | { readonly kind: 'UnbindAccount' };

export class ChangeAccountBindingCommand extends Command<{ changed: number }> {
  constructor(
    readonly bindingId: string,
    readonly change: AccountBindingChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** Bind, rebind and unbind (ORG-10): one stream per binding; plaintext credentials end here. */
@CommandHandler(ChangeAccountBindingCommand)
export class ChangeAccountBindingHandler implements ICommandHandler<ChangeAccountBindingCommand> {
  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    private readonly vault: CredentialVault,
  ) {}

  async execute({ bindingId, change, principal, correlationId }: ChangeAccountBindingCommand): Promise<{ changed: number }> {
    const enterpriseId = principal.tenantId;
    const base = { enterpriseId, bindingId, actor: principal.memberId, now: new Date().toISOString() };
    let command: BindingCommand;
    if (change.kind === 'UnbindAccount') {
      command = { ...base, kind: 'UnbindAccount' };
    } else {
      const credentials = await this.vault.encrypt(enterpriseId, bindingId, change.credentials);
      const credentialFields = Object.keys(change.credentials).sort();
      command =
        change.kind === 'BindAccount'
          ? { ...base, kind: 'BindAccount', platform: change.platform, accountId: change.accountId, displayName: change.displayName, credentialFields, credentials }
          : { ...base, kind: 'RebindAccount', accountId: change.accountId, displayName: change.displayName, credentialFields, credentials };
    }
    const result = await handleCommand(this.store, bindingStreamId(bindingId), bindingDecider, command, {
      tenantId: enterpriseId,
      correlationId,
      causationId: null,
      actor: principal.memberId,
    });
    return { changed: result.newEvents.length };
  }
}
