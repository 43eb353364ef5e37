import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';

export type MemberAction = 'disable' | 'enable' | 'reset-password' | 'edit' | 'management' | 'move';
export const BATCH_ACTIONS = ['disable', 'enable', 'reset-password', 'edit', 'move'] as const;
export const MAX_BATCH = 1000;

export interface MemberActionInput {
  /** reset-password: the new password. */
  readonly password?: string;
  /** edit: undefined leaves a field as it is; null or "" clears it. */
  readonly realName?: string | null;
  readonly nickname?: string | null;
  /** management: grant (true) or revoke (false). */
  readonly manager?: boolean;
  /** move: the member's departments (the whole set; [] for none). */
  readonly departmentIds?: readonly string[];
}

export interface MemberActionResult {
  readonly id: string;
  readonly ok: boolean;
  /** Why this member was not changed (absent when ok). */
  readonly error?: { readonly status: number; readonly code: string; readonly detail: string };
}

/** One action on one or many members (ORG-5/6/7). Each member is done on its own and reported. */
export class ManageMembersCommand extends Command<MemberActionResult[]> {
  constructor(
    readonly action: MemberAction,
    readonly memberIds: readonly string[],
    readonly input: MemberActionInput,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
