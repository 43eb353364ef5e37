import { Command } from '@nestjs/cqrs';

export interface LoginResult {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

export class LoginCommand extends Command<LoginResult> {
  constructor(
    readonly enterpriseId: string,
    readonly accountName: string,
    readonly password: string,
  ) {
    super();
  }
}
