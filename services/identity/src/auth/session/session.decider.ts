import { assertNever, DomainError, type Decider } from '@leadstream/event-sourcing';

/**
 * A sign-in session (ORG-3 refresh tokens), stream `identity.session-<sessionId>`. Only SHA-256
 * hashes of refresh tokens are stored. Every refresh rotates the token; presenting a token that was
 * already rotated away is treated as theft and revokes the whole session.
 */
export const SESSION_CATEGORY = 'identity.session';

export type SessionEvent =
  | {
      readonly type: 'identity.SessionStarted';
      readonly data: {
        readonly sessionId: string;
        readonly memberId: string;
        readonly enterpriseId: string;
        readonly tokenHash: string;
        readonly audiences: readonly string[];
        readonly startedAt: string;
        readonly expiresAt: string;
      };
    }
  | { readonly type: 'identity.SessionRefreshed'; readonly data: { readonly sessionId: string; readonly previousTokenHash: string; readonly tokenHash: string; readonly at: string } }
  | { readonly type: 'identity.SessionRevoked'; readonly data: { readonly sessionId: string; readonly reason: 'logout' | 'refresh-token-reused'; readonly at: string } };

export interface SessionState {
  readonly exists: boolean;
  readonly sessionId: string | null;
  readonly memberId: string | null;
  readonly enterpriseId: string | null;
  readonly audiences: readonly string[];
  readonly currentTokenHash: string | null;
  readonly rotatedTokenHashes: readonly string[];
  readonly expiresAt: string | null;
  readonly revoked: boolean;
}

export type SessionCommand =
  | {
      readonly kind: 'StartSession';
      readonly sessionId: string;
      readonly memberId: string;
      readonly enterpriseId: string;
      readonly tokenHash: string;
      readonly audiences: readonly string[];
      readonly now: string;
      readonly lifetimeMs: number;
    }
  | { readonly kind: 'RotateToken'; readonly presentedTokenHash: string; readonly newTokenHash: string; readonly now: string }
  | { readonly kind: 'RevokeSession'; readonly presentedTokenHash: string; readonly reason: 'logout' | 'refresh-token-reused'; readonly now: string };

export const invalidRefreshToken = () => new DomainError('unauthorized', 'identity.invalid-refresh-token', 'The refresh token is not valid (unknown, expired or revoked).');

/** How a presented token relates to the session. */
export function classifyToken(state: SessionState, tokenHash: string, now: string): 'current' | 'rotated' | 'invalid' {
  if (!state.exists || state.revoked || state.expiresAt === null || state.expiresAt <= now) return 'invalid';
  if (state.currentTokenHash === tokenHash) return 'current';
  if (state.rotatedTokenHashes.includes(tokenHash)) return 'rotated';
  return 'invalid';
}

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  initialState: () => ({
    exists: false,
    sessionId: null,
    memberId: null,
    enterpriseId: null,
    audiences: [],
    currentTokenHash: null,
    rotatedTokenHashes: [],
    expiresAt: null,
    revoked: false,
  }),

  evolve(state, event) {
    switch (event.type) {
      case 'identity.SessionStarted':
        return {
          ...state,
          exists: true,
          sessionId: event.data.sessionId,
          memberId: event.data.memberId,
          enterpriseId: event.data.enterpriseId,
          audiences: event.data.audiences,
          currentTokenHash: event.data.tokenHash,
          expiresAt: event.data.expiresAt,
        };
      case 'identity.SessionRefreshed':
        return { ...state, currentTokenHash: event.data.tokenHash, rotatedTokenHashes: [...state.rotatedTokenHashes, event.data.previousTokenHash] };
      case 'identity.SessionRevoked':
        return { ...state, revoked: true };
      default:
        return assertNever(event);
    }
  },

  decide(command, state) {
    switch (command.kind) {
      case 'StartSession':
        if (state.exists) throw new DomainError('conflict', 'identity.session-exists', 'The session already exists.');
        return [
          {
            type: 'identity.SessionStarted',
            data: {
              sessionId: command.sessionId,
              memberId: command.memberId,
              enterpriseId: command.enterpriseId,
              tokenHash: command.tokenHash,
              audiences: command.audiences,
              startedAt: command.now,
              expiresAt: new Date(Date.parse(command.now) + command.lifetimeMs).toISOString(),
            },
          },
        ];
      case 'RotateToken':
        // a concurrent refresh that lost the race sees its token as rotated: that is reuse, handled by the caller
        if (classifyToken(state, command.presentedTokenHash, command.now) !== 'current') throw invalidRefreshToken();
        return [{ type: 'identity.SessionRefreshed', data: { sessionId: state.sessionId!, previousTokenHash: command.presentedTokenHash, tokenHash: command.newTokenHash, at: command.now } }];
      case 'RevokeSession':
        if (classifyToken(state, command.presentedTokenHash, command.now) === 'invalid') return [];
        return [{ type: 'identity.SessionRevoked', data: { sessionId: state.sessionId!, reason: command.reason, at: command.now } }];
      default:
        return assertNever(command);
    }
  },
};
