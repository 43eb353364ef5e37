import { Command } from '@nestjs/cqrs';

export interface CreateEnterpriseResult {
  readonly enterpriseId: string;
  readonly adminMemberId: string;
  readonly adminAccountNumber: string;
}

export class CreateEnterpriseCommand extends Command<CreateEnterpriseResult> {
  constructor(
    readonly name: string,
    readonly timeZone: string,
    readonly seatQuota: number,
    readonly admin: { readonly accountName: string; readonly password: string; readonly realName: string | null },
    readonly correlationId: string,
    /** ORG-3: false creates the enterprise "in beta" (disabled). */
    readonly enabled: boolean = true,
  ) {
    super();
  }
}
