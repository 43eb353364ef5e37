import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';

export interface CreateMemberInput {
  readonly accountName: string;
  readonly password: string;
  readonly realName?: string | null;
  readonly nickname?: string | null;
  /** 5-12 digits, chosen at creation only; proposed from free numbers when absent. */
  readonly accountNumber?: string;
  readonly marketingOnly?: boolean;
  /** Grants the management permission; only the administrator may set it (ORG-7). */
  readonly manager?: boolean;
  /** ORG-5: the member's departments; each must exist in the org tree. */
  readonly departmentIds?: readonly string[];
}

export interface CreateMemberResult {
  readonly id: string;
  readonly accountNumber: string;
}

export class CreateMemberCommand extends Command<CreateMemberResult> {
  constructor(
    readonly input: CreateMemberInput,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
