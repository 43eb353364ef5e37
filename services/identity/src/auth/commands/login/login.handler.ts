import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, loadState, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { ProblemException } from '@leadstream/platform';
import { enterpriseDecider } from '../../../enterprise/domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../../../enterprise/domain/enterprise.events';
import { accountNameStreamId } from '../../../enterprise/commands/create-enterprise/create-enterprise.handler';
import { memberDecider, normaliseAccountName } from '../../../member/domain/member.decider';
import { ACCOUNT_NUMBER_CATEGORY, MEMBER_CATEGORY } from '../../../member/domain/member.events';
import { reservationDecider } from '../../../member/domain/reservation.decider';
import { verifyAgainstDummy, verifyPassword } from '../../password-hasher';
import { IDENTITY_EVENT_STORE, IDENTITY_OPTIONS, LOGIN_THROTTLE, type IdentityOptions } from '../../../identity.tokens';
import type { LoginThrottle } from '../../throttle/login-throttle';
import { CLIENT_AUDIENCE, marketingOnlyRefused, startSession } from '../../token-issuer';
import { LoginCommand, type LoginResult } from './login.command';

const invalidCredentials = () =>
  new DomainError('unauthorized', 'identity.invalid-credentials', 'The account or the password is wrong.');

const tooManyAttempts = (retryAfterMs: number) => {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new ProblemException(
    { status: 429, code: 'identity.too-many-attempts', detail: `Too many failed sign-in attempts; try again in ${seconds} s.` },
    { headers: { 'Retry-After': String(seconds) } },
  );
};

/**
 * Sign-in reads the event store (not a read model), so an enterprise can sign in the moment it
 * has been created. Wrong credentials never say which part was wrong, and an unknown account costs
 * the same argon2 work as a wrong password. Failures are counted per account and per source IP
 * (LoginThrottle); while either is locked the answer is 429 with Retry-After, and the password is
 * not checked at all.
 */
@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand> {
  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
  ) {}

  async execute(command: LoginCommand): Promise<LoginResult> {
    const id = command.identifier;
    const byNumber = 'accountNumber' in id;
    const reservation = byNumber
      ? await loadState(this.store, streamIdOf(ACCOUNT_NUMBER_CATEGORY, id.accountNumber), reservationDecider)
      : await loadState(this.store, accountNameStreamId(id.enterpriseId, id.accountName), reservationDecider);
    const enterpriseId = byNumber ? reservation.state.enterpriseId : id.enterpriseId;
    const found = reservation.state.memberId !== null && enterpriseId !== null && reservation.state.enterpriseId === enterpriseId;
    const memberId = found ? reservation.state.memberId : null;
    // one counter per account whichever way it is named; an unknown account is counted under its name
    const accountKey = memberId ?? (byNumber ? `number:${id.accountNumber}` : `name:${id.enterpriseId}:${normaliseAccountName(id.accountName)}`);
    const retryAfterMs = this.throttle.retryAfterMs(accountKey, command.sourceIp);
    if (retryAfterMs > 0) throw tooManyAttempts(retryAfterMs);
    if (memberId === null || enterpriseId === null) {
      await verifyAgainstDummy(command.password);
      this.throttle.failed(accountKey, command.sourceIp);
      throw invalidCredentials();
    }
    const [member, enterprise] = await Promise.all([
      loadState(this.store, streamIdOf(MEMBER_CATEGORY, memberId), memberDecider),
      loadState(this.store, streamIdOf(ENTERPRISE_CATEGORY, enterpriseId), enterpriseDecider),
    ]);
    const passwordOk = member.state.passwordHash !== null ? await verifyPassword(member.state.passwordHash, command.password) : await verifyAgainstDummy(command.password);
    if (!passwordOk || !enterprise.state.exists) {
      this.throttle.failed(accountKey, command.sourceIp);
      throw invalidCredentials();
    }
    this.throttle.succeeded(accountKey);
    // Reasons are given only once the credentials are proven right (ORG-3).
    if (!enterprise.state.enabled) {
      throw new DomainError('forbidden', 'identity.enterprise-not-enabled', 'The enterprise is not enabled yet (in beta).');
    }
    if (member.state.disabled) {
      throw new DomainError('forbidden', 'identity.member-disabled', 'This member is disabled.');
    }
    if (command.audience === 'client' && member.state.marketingOnly) throw marketingOnlyRefused();
    return startSession(
      this.store,
      this.options,
      // ORG-2: the enterprise stream says who is admin
      { memberId, enterpriseId, isAdmin: enterprise.state.adminMemberId === memberId, manager: member.state.manager },
      command.audience === 'client' ? [CLIENT_AUDIENCE] : [],
      command.correlationId,
    );
  }
}
