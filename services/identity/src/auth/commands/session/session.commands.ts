import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, loadState, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { enterpriseDecider } from '../../../enterprise/domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../../../enterprise/domain/enterprise.events';
import { memberDecider } from '../../../member/domain/member.decider';
import { MEMBER_CATEGORY } from '../../../member/domain/member.events';
import { IDENTITY_EVENT_STORE, IDENTITY_OPTIONS, type IdentityOptions } from '../../../identity.tokens';
import { classifyToken, invalidRefreshToken, sessionDecider, type SessionState } from '../../session/session.decider';
import { CLIENT_AUDIENCE, hashRefreshToken, marketingOnlyRefused, newRefreshToken, sessionIdOf, sessionStreamId, signAccessToken, type IssuedTokens } from '../../token-issuer';

/** Exchange a refresh token for a new access token and a rotated refresh token (ORG-3). */
export class RefreshCommand extends Command<IssuedTokens> {
  constructor(
    readonly refreshToken: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

/** Revoke the session a refresh token belongs to (ORG-3 logout). Unknown tokens are ignored. */
export class LogoutCommand extends Command<void> {
  constructor(
    readonly refreshToken: string,
    readonly correlationId: string,
  ) {
    super();
  }
}

const refreshTokenReused = () =>
  new DomainError('unauthorized', 'identity.refresh-token-reused', 'The refresh token was already used; the session has been revoked. Sign in again.');

function metadataOf(state: SessionState, correlationId: string): EventMetadata {
  return { tenantId: state.enterpriseId!, correlationId, causationId: null, actor: state.memberId };
}

@CommandHandler(RefreshCommand)
export class RefreshHandler implements ICommandHandler<RefreshCommand> {
  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
  ) {}

  async execute(command: RefreshCommand): Promise<IssuedTokens> {
    const sessionId = sessionIdOf(command.refreshToken);
    if (sessionId === null) throw invalidRefreshToken();
    const presented = hashRefreshToken(command.refreshToken);
    const streamId = sessionStreamId(sessionId);
    const session = await loadState(this.store, streamId, sessionDecider);
    const kind = classifyToken(session.state, presented, new Date().toISOString());
    if (kind === 'rotated') return this.revokeForReuse(streamId, session.state, presented, command.correlationId);
    if (kind === 'invalid') throw invalidRefreshToken();
    const { memberId, enterpriseId } = session.state as { memberId: string; enterpriseId: string };
    const [member, enterprise] = await Promise.all([
      loadState(this.store, streamIdOf(MEMBER_CATEGORY, memberId), memberDecider),
      loadState(this.store, streamIdOf(ENTERPRISE_CATEGORY, enterpriseId), enterpriseDecider),
    ]);
    if (!member.state.exists || !enterprise.state.exists) throw invalidRefreshToken();
    // the same refusals as sign-in, read now; the session survives them (enabling again restores it)
    if (!enterprise.state.enabled) throw new DomainError('forbidden', 'identity.enterprise-not-enabled', 'The enterprise is not enabled yet (in beta).');
    if (member.state.disabled) throw new DomainError('forbidden', 'identity.member-disabled', 'This member is disabled.');
    const extraAudiences = session.state.audiences.filter((a) => a === CLIENT_AUDIENCE);
    if (extraAudiences.length > 0 && member.state.marketingOnly) throw marketingOnlyRefused();
    // current permissions, not those of sign-in time
    const { accessToken, expiresIn } = await signAccessToken(
      this.store,
      this.options,
      { memberId, enterpriseId, isAdmin: enterprise.state.adminMemberId === memberId, manager: member.state.manager },
      extraAudiences,
    );
    const refreshToken = newRefreshToken(sessionId);
    try {
      await handleCommand(
        this.store,
        streamId,
        sessionDecider,
        { kind: 'RotateToken', presentedTokenHash: presented, newTokenHash: hashRefreshToken(refreshToken), now: new Date().toISOString() },
        metadataOf(session.state, command.correlationId),
      );
    } catch (error) {
      // another refresh with the same token won the race: the token has been used twice
      if (error instanceof DomainError && error.code === 'identity.invalid-refresh-token') {
        const again = await loadState(this.store, streamId, sessionDecider);
        if (classifyToken(again.state, presented, new Date().toISOString()) === 'rotated') {
          return this.revokeForReuse(streamId, again.state, presented, command.correlationId);
        }
      }
      throw error;
    }
    return { accessToken, tokenType: 'Bearer', expiresIn, refreshToken };
  }

  /** Token-theft detection: a rotated-away token came back, so nobody keeps this session. */
  private async revokeForReuse(streamId: string, state: SessionState, presented: string, correlationId: string): Promise<never> {
    await handleCommand(
      this.store,
      streamId,
      sessionDecider,
      { kind: 'RevokeSession', presentedTokenHash: presented, reason: 'refresh-token-reused', now: new Date().toISOString() },
      metadataOf(state, correlationId),
    );
    throw refreshTokenReused();
  }
}

@CommandHandler(LogoutCommand)
export class LogoutHandler implements ICommandHandler<LogoutCommand> {
  constructor(@Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: LogoutCommand): Promise<void> {
    const sessionId = sessionIdOf(command.refreshToken);
    if (sessionId === null) return;
    const streamId = sessionStreamId(sessionId);
    const session = await loadState(this.store, streamId, sessionDecider);
    if (!session.state.exists) return;
    await handleCommand(
      this.store,
      streamId,
      sessionDecider,
      { kind: 'RevokeSession', presentedTokenHash: hashRefreshToken(command.refreshToken), reason: 'logout', now: new Date().toISOString() },
      metadataOf(session.state, command.correlationId),
    );
  }
}
