import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { classifyToken, sessionDecider, type SessionEvent, type SessionState } from './session.decider';

const now = '2026-01-01T00:00:00.000Z';
const DAY = 24 * 60 * 60 * 1000;

function run(events: readonly SessionEvent[]): SessionState {
  return events.reduce((s, e) => sessionDecider.evolve(s, e), sessionDecider.initialState());
}

function started(): SessionState {
  const events = sessionDecider.decide(
    { kind: 'StartSession', sessionId: 's1', memberId: 'm1', enterpriseId: 'e1', tokenHash: 'h1', audiences: [], now, lifetimeMs: 30 * DAY },
    sessionDecider.initialState(),
  );
  return run(events);
}

describe('session decider (ORG-3 refresh tokens)', () => {
  it('starts a 30-day session holding only the token hash', () => {
    const state = started();
    assert.equal(state.currentTokenHash, 'h1');
    assert.equal(state.expiresAt, '2026-01-31T00:00:00.000Z');
    assert.equal(classifyToken(state, 'h1', now), 'current');
    assert.equal(classifyToken(state, 'h1', '2026-01-31T00:00:00.000Z'), 'invalid', 'expired');
  });

  it('rotates: the old hash becomes "rotated", the new one current', () => {
    let state = started();
    const events = sessionDecider.decide({ kind: 'RotateToken', presentedTokenHash: 'h1', newTokenHash: 'h2', now }, state);
    state = events.reduce((s, e) => sessionDecider.evolve(s, e), state);
    assert.equal(classifyToken(state, 'h2', now), 'current');
    assert.equal(classifyToken(state, 'h1', now), 'rotated');
    assert.equal(classifyToken(state, 'h9', now), 'invalid');
    assert.throws(() => sessionDecider.decide({ kind: 'RotateToken', presentedTokenHash: 'h1', newTokenHash: 'h3', now }, state), (e: unknown) => e instanceof DomainError && e.code === 'identity.invalid-refresh-token');
  });

  it('revokes for a known token, ignores unknown ones, and a revoked session accepts nothing', () => {
    let state = started();
    assert.deepEqual(sessionDecider.decide({ kind: 'RevokeSession', presentedTokenHash: 'nope', reason: 'logout', now }, state), []);
    const events = sessionDecider.decide({ kind: 'RevokeSession', presentedTokenHash: 'h1', reason: 'logout', now }, state);
    assert.equal(events.length, 1);
    state = events.reduce((s, e) => sessionDecider.evolve(s, e), state);
    assert.equal(classifyToken(state, 'h1', now), 'invalid');
    assert.deepEqual(sessionDecider.decide({ kind: 'RevokeSession', presentedTokenHash: 'h1', reason: 'logout', now }, state), []);
  });
});
