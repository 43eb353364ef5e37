import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { enterpriseDecider } from '../../../enterprise/domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../../../enterprise/domain/enterprise.events';
import { accountNameStreamId } from '../../../enterprise/commands/create-enterprise/create-enterprise.handler';
import { memberDecider } from '../../../member/domain/member.decider';
import { MEMBER_CATEGORY } from '../../../member/domain/member.events';
import { reservationDecider } from '../../../member/domain/reservation.decider';
import { verifyAgainstDummy, verifyPassword } from '../../password-hasher';
import { rolePermissionsOf } from '../../../role/effective-permissions';
import { IDENTITY_EVENT_STORE, IDENTITY_OPTIONS, type IdentityOptions } from '../../../identity.tokens';
import { LoginCommand, type LoginResult } from './login.command';

const invalidCredentials = () =>
  new DomainError('unauthorized', 'identity.invalid-credentials', 'The enterprise, account name or password is wrong.');

/**
 * Sign-in reads the event store (not a read model), so an enterprise can sign in the moment it
 * has been created. Wrong credentials never say which part was wrong, and an unknown account costs
 * the same argon2 work as a wrong password.
 */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
  ) {}

  async execute(command: LoginCommand): Promise<LoginResult> {
    const reservation = await loadState(this.store, accountNameStreamId(command.enterpriseId, command.accountName), reservationDecider);
    const memberId = reservation.state.memberId;
    if (memberId === null || reservation.state.enterpriseId !== command.enterpriseId) {
      await verifyAgainstDummy(command.password);
      throw invalidCredentials();
    }
    const [member, enterprise] = await Promise.all([
      loadState(this.store, streamIdOf(MEMBER_CATEGORY, memberId), memberDecider),
      loadState(this.store, streamIdOf(ENTERPRISE_CATEGORY, command.enterpriseId), enterpriseDecider),
    ]);
    const passwordOk = member.state.passwordHash !== null && (await verifyPassword(member.state.passwordHash, command.password));
    if (!passwordOk || !enterprise.state.exists) throw invalidCredentials();
    // Reasons are given only once the credentials are proven right (ORG-3).
    if (!enterprise.state.enabled) {
      throw new DomainError('forbidden', 'identity.enterprise-not-enabled', 'The enterprise is not enabled yet (in beta).');
    }
    if (member.state.disabled) {
      throw new DomainError('forbidden', 'identity.member-disabled', 'This member is disabled.');
    }
    const ttl = this.options.accessTokenTtlSeconds ?? 900;
    const accessToken = await this.options.signingKeys.sign(
      {
        sub: memberId,
        tid: command.enterpriseId,
        adm: member.state.isAdmin,
        // ORG-7: managers hold org:manage (and org:read); ORG-8: plus the union of the member's roles
        perms: member.state.isAdmin
          ? ['*']
          : [...new Set([...(member.state.manager ? ['org:read', 'org:manage'] : []), ...(await rolePermissionsOf(this.store, memberId, command.enterpriseId))])].sort(),
      },
      ttl,
    );
    return { accessToken, tokenType: 'Bearer', expiresIn: ttl };
  }
}
