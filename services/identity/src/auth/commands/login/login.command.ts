import { Command } from '@nestjs/cqrs';
import type { IssuedTokens, LoginAudience } from '../../token-issuer';

export type LoginResult = IssuedTokens;

/** Who is signing in: enterprise + account name, or the platform-wide account number (ORG-3). */
export type LoginIdentifier = { readonly enterpriseId: string; readonly accountName: string } | { readonly accountNumber: string };

export class LoginCommand extends Command<LoginResult> {
  constructor(
    readonly identifier: LoginIdentifier,
    readonly password: string,
    readonly audience: LoginAudience = 'api',
    /** The caller's address, for the per-IP brute-force counter; null when unknown. */
    readonly sourceIp: string | null = null,
    readonly correlationId: string = '',
  ) {
    super();
  }
}
