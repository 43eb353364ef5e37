import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Get, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { accessTokenVerifier, localJwks } from '../auth/jwt-token-verifier';
import { bootApp, type BootedApp } from '../testing-support/boot';
import { HealthModule } from './health.module';
import { HealthRegistry } from './health.registry';

const state = { storeOk: true, projectorOk: true };

/** A service component that registers its own readiness check at startup, as projectors do. */
@Injectable()
class ProjectorStatus implements OnApplicationBootstrap {
  constructor(private readonly registry: HealthRegistry) {}
  onApplicationBootstrap(): void {
    this.registry.register('projector:leads', () =>
      Promise.resolve(state.projectorOk ? { ok: true, detail: { lag: 0 } } : { ok: false, detail: { lag: 1200 } }),
    );
  }
}

@Controller('secret')
class SecretController {
  @Get()
  get() {
    return { secret: true };
  }
}

@Module({
  imports: [
    AuthModule.forRoot({ verifier: accessTokenVerifier(localJwks(() => ({ keys: [] }))) }),
    HealthModule.forRoot({
      timeoutMs: 200,
      checks: [
        {
          name: 'store',
          check: () =>
            state.storeOk ? Promise.resolve({ ok: true }) : Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:27017 (password=hunter2)')),
        },
      ],
    }),
  ],
  controllers: [SecretController],
  providers: [ProjectorStatus],
})
class HealthTestModule {}

describe('HealthModule', () => {
  let booted: BootedApp;
  before(async () => {
    booted = await bootApp(HealthTestModule);
  });
  after(async () => {
    await booted.app.close();
  });

  it('answers /health/live without a token', async () => {
    const res = await booted.app.inject({ method: 'GET', url: '/health/live' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
    // the guard is really on: other routes need a token
    assert.equal((await booted.app.inject({ method: 'GET', url: '/secret' })).statusCode, 401);
  });

  it('answers /health/ready with every check when all pass', async () => {
    const res = await booted.app.inject({ method: 'GET', url: '/health/ready' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok', checks: { store: { ok: true }, 'projector:leads': { ok: true, detail: { lag: 0 } } } });
  });

  it('answers 503 problem+json naming failing checks, without leaking error messages', async () => {
    state.storeOk = false;
    state.projectorOk = false;
    try {
      const res = await booted.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(res.statusCode, 503);
      assert.equal(res.headers['content-type'], 'application/problem+json');
      const body = res.json();
      assert.equal(body.status, 503);
      assert.equal(body.title, 'Service Unavailable');
      assert.equal(body.instance, '/health/ready');
      assert.match(body.detail, /store/);
      assert.match(body.detail, /projector:leads/);
      assert.deepEqual(body.checks, {
        store: { ok: false, detail: 'check threw an error' },
        'projector:leads': { ok: false, detail: { lag: 1200 } },
      });
      assert.doesNotMatch(res.body, /hunter2|10\.1\.2\.3/);
    } finally {
      state.storeOk = true;
      state.projectorOk = true;
    }
  });

  it('fails a check that takes too long, and accepts checks registered later', async () => {
    const registry = booted.app.get(HealthRegistry);
    const remove = registry.register('slow', () => new Promise((r) => setTimeout(() => r({ ok: true }), 1000).unref()));
    try {
      const res = await booted.app.inject({ method: 'GET', url: '/health/ready' });
      assert.equal(res.statusCode, 503);
      assert.deepEqual(res.json().checks.slow, { ok: false, detail: 'timed out after 200 ms' });
    } finally {
      remove();
    }
    assert.equal((await booted.app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
  });
});
