import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';

export type StatusCatalogueChange =
  | { readonly kind: 'CreateStatus'; readonly name: string }
  | { readonly kind: 'RenameStatus'; readonly statusId: string; readonly name: string }
  | { readonly kind: 'ReorderStatuses'; readonly statusIds: readonly string[] }
  | { readonly kind: 'RetireStatus'; readonly statusId: string };

/** Any change to the enterprise's status catalogue (LEAD-5); answers the id of the status concerned, if any. */
export class ChangeStatusCatalogueCommand extends Command<{ id: string | null }> {
  constructor(
    readonly change: StatusCatalogueChange,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
