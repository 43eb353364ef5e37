import { Command } from '@nestjs/cqrs';
import type { Principal } from '@leadstream/platform';

/** A member changes its own password: the current one is proof (ORG-5). */
export class ChangeOwnPasswordCommand extends Command<void> {
  constructor(
    readonly currentPassword: string,
    readonly newPassword: string,
    readonly principal: Principal,
    readonly correlationId: string,
  ) {
    super();
  }
}
