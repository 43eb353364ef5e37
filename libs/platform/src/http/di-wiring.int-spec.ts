import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Body, Controller, Get, Inject, Injectable, Module, Post } from '@nestjs/common';
import { APP_FILTER, APP_PIPE, NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';
import type { ReadStore } from '@leadstream/read-store';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import type { JWK } from 'jose';
import { AuthModule } from '../auth/auth.module';
import { CurrentPrincipal } from '../auth/decorators';
import { JwtTokenVerifier, localJwks } from '../auth/jwt-token-verifier';
import { ACCESS_TOKEN_AUDIENCE, ACCESS_TOKEN_ISSUER, type Principal } from '../auth/principal';
import { IDEMPOTENCY_COLLECTION } from '../idempotency/idempotency.interceptor';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { Idempotent } from '../idempotency/idempotent.decorator';
import { createLogger } from '../logging/logger';
import { makeKey, signToken, type SigningKey } from '../testing-support/tokens';
import { createFastifyAdapter } from './fastify-adapter';
import { PLATFORM_LOGGER, ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';

// The same pieces wired through DI only (APP_FILTER/APP_PIPE, useClass/useExisting), without configureHttpApp.

const READ_STORE = 'READ_STORE';
const KEYS = 'KEYS';

@Module({
  providers: [
    { provide: READ_STORE, useFactory: () => EmbeddedReadStore.open() },
    { provide: KEYS, useValue: { keys: [] as JWK[] } },
  ],
  exports: [READ_STORE, KEYS],
})
class InfraModule {}

@Injectable()
class ServiceTokenVerifier extends JwtTokenVerifier {
  constructor(@Inject(KEYS) ring: { keys: JWK[] }) {
    super({ keys: localJwks(() => ring), issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE });
  }
}

class NoteDto {
  @IsString() text!: string;
}

@Controller('notes')
class NotesController {
  private n = 0;
  @Post()
  @Idempotent()
  add(@Body() dto: NoteDto, @CurrentPrincipal() principal: Principal) {
    return { n: ++this.n, text: dto.text, by: principal.memberId };
  }
  @Get('boom')
  boom() {
    throw new Error('kaboom');
  }
}

const lines: Array<Record<string, unknown>> = [];
const logger = createLogger({ name: 'di-test', level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s)) });

@Module({
  imports: [
    InfraModule,
    AuthModule.forRoot({ verifier: { useClass: ServiceTokenVerifier }, imports: [InfraModule] }),
    IdempotencyModule.forRoot({ store: { useExisting: READ_STORE }, imports: [InfraModule] }),
  ],
  controllers: [NotesController],
  providers: [
    { provide: PLATFORM_LOGGER, useValue: logger },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useFactory: createValidationPipe },
  ],
})
class DiModule {}

describe('DI wiring (APP_FILTER, APP_PIPE, useClass verifier, useExisting store)', () => {
  let app: NestFastifyApplication;
  let key: SigningKey;
  let token: string;
  before(async () => {
    app = await NestFactory.create<NestFastifyApplication>(DiModule, createFastifyAdapter(), { logger: false, abortOnError: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    key = await makeKey('di-1');
    app.get<{ keys: JWK[] }>(KEYS).keys.push(key.publicJwk);
    token = await signToken(key, { sub: 'member-di' });
  });
  after(async () => {
    await app.get<ReadStore>(READ_STORE).close();
    await app.close();
  });

  it('answers problems through the DI-built filter and logs server faults with the injected logger', async () => {
    const missing = await app.inject({ method: 'GET', url: '/nowhere' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.headers['content-type'], 'application/problem+json');
    const boom = await app.inject({ method: 'GET', url: '/notes/boom', headers: { authorization: `Bearer ${token}`, 'x-request-id': 'di-boom' } });
    assert.equal(boom.statusCode, 500);
    assert.equal(boom.json().detail, 'An unexpected error occurred.');
    assert.ok(lines.some((l) => l['requestId'] === 'di-boom' && l['level'] === 'error'));
  });

  it('guards with the useClass verifier, validates with APP_PIPE and stores keys in the existing store', async () => {
    assert.equal((await app.inject({ method: 'POST', url: '/notes', payload: { text: 'hi' } })).statusCode, 401);
    const headers = { authorization: `Bearer ${token}`, 'idempotency-key': 'note-1' };
    const invalid = await app.inject({ method: 'POST', url: '/notes', headers, payload: { text: 1, extra: true } });
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(invalid.json().errors.map((e: { field: string }) => e.field).sort(), ['extra', 'text']);
    const first = await app.inject({ method: 'POST', url: '/notes', headers, payload: { text: 'hi' } });
    assert.equal(first.statusCode, 201);
    assert.deepEqual(first.json(), { n: 1, text: 'hi', by: 'member-di' });
    const again = await app.inject({ method: 'POST', url: '/notes', headers, payload: { text: 'hi' } });
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    const stored = await app.get<ReadStore>(READ_STORE).collection(IDEMPOTENCY_COLLECTION).count({});
    assert.equal(stored, 1);
  });
});
