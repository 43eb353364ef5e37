import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';

export interface ChangeAdministratorResult {
  readonly enterpriseId: string;
  readonly previousAdminMemberId: string;
  readonly adminMemberId: string;
}

/** ORG-2: the current administrator hands over to another member; both proofs in one command. */
export class ChangeAdministratorCommand extends Command<ChangeAdministratorResult> {
  constructor(
    readonly principal: Principal,
    readonly currentPassword: string,
    readonly newAdmin: { readonly accountName: string; readonly password: string },
    readonly correlationId: string,
  ) {
    super();
  }
}
