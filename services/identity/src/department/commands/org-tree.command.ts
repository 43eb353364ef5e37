import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { IDENTITY_EVENT_STORE } from '../../identity.tokens';
import { orgTreeDecider, type OrgTreeCommand } from '../domain/org-tree.decider';
import { ORG_TREE_CATEGORY } from '../domain/org-tree.events';

/** An org-tree command without the parts the handler fills in (tenant, actor, clock). */
export type OrgTreeChange = OrgTreeCommand extends infer C ? (C extends OrgTreeCommand ? Omit<C, 'enterpriseId' | 'actor' | 'now'> : never) : never;

export interface OrgTreeChangeResult {
  /** How many events were appended (0: the command changed nothing). */
  readonly changed: number;
}

/**
 * Every department use case (create, rename, move, supervisor, visibility, delete) goes through
 * this one command: they all decide on the enterprise's one org-tree stream.
 */
export class ChangeOrgTreeCommand extends Command<OrgTreeChangeResult> {
  constructor(
    readonly change: OrgTreeChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}

export function orgTreeStreamId(enterpriseId: string): string {
  return streamIdOf(ORG_TREE_CATEGORY, enterpriseId);
}

@CommandHandler(ChangeOrgTreeCommand)
export class ChangeOrgTreeHandler implements ICommandHandler<ChangeOrgTreeCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute({ change, principal, correlationId }: ChangeOrgTreeCommand): Promise<OrgTreeChangeResult> {
    const command = {
      ...change,
      enterpriseId: principal.tenantId,
      actor: { memberId: principal.memberId, isAdmin: principal.isAdmin },
      now: new Date().toISOString(),
    } as OrgTreeCommand;
    const result = await handleCommand(this.store, orgTreeStreamId(principal.tenantId), orgTreeDecider, command, {
      tenantId: principal.tenantId,
      correlationId,
      causationId: null,
      actor: principal.memberId,
    });
    return { changed: result.newEvents.length };
  }
}
