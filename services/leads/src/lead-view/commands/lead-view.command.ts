import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';
import type { LeadViewDefinition } from '../domain/lead-view.events';

export type LeadViewChange =
  | { readonly kind: 'create'; readonly definition: LeadViewDefinition }
  | { readonly kind: 'replace'; readonly viewId: string; readonly definition: LeadViewDefinition; readonly expectedVersion?: number }
  | { readonly kind: 'delete'; readonly viewId: string; readonly expectedVersion?: number };

/** Create, replace or delete a saved lead view (LEAD-9). Answers the view's id and new version. */
export class ChangeLeadViewCommand extends Command<{ id: string; version: number }> {
  constructor(
    readonly change: LeadViewChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
