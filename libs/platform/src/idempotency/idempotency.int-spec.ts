import 'reflect-metadata';
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Body, Controller, HttpCode, Injectable, Module, Post } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Min } from 'class-validator';
import { DomainError } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import type { JWK } from 'jose';
import { AuthModule } from '../auth/auth.module';
import { CurrentPrincipal, Public, RequirePermissions } from '../auth/decorators';
import { accessTokenVerifier, localJwks } from '../auth/jwt-token-verifier';
import type { Principal } from '../auth/principal';
import { bootApp, type BootedApp } from '../testing-support/boot';
import { MemoryReadStore } from '../testing-support/memory-read-store';
import { makeKey, signToken, type SigningKey } from '../testing-support/tokens';
import { canonicalJson } from './canonical-json';
import { IDEMPOTENCY_COLLECTION, type IdempotencyRecord } from './idempotency.interceptor';
import { IdempotencyModule } from './idempotency.module';
import { Idempotent } from './idempotent.decorator';

class OrderDto {
  @IsString() item!: string;
  @IsInt() @Min(1) qty!: number;
  @IsOptional() @IsString() note?: string;
}

/** Shared state of the test controller: call counts and a gate for in-flight requests. */
@Injectable()
class Probe {
  calls = 0;
  gate: Promise<void> = Promise.resolve();
  entered: Promise<void> = Promise.resolve();
  private releases: Array<() => void> = [];
  private signalEntered: () => void = () => undefined;
  /** The next request to enter waits until release(); `entered` resolves when it is inside the handler. */
  arm(): void {
    this.gate = new Promise((r) => this.releases.push(r));
    this.entered = new Promise((r) => (this.signalEntered = r));
  }
  /** Lets every waiting request go on. */
  release(): void {
    for (const r of this.releases.splice(0)) r();
  }
  enter(): void {
    this.signalEntered();
  }
}

@Controller('orders')
@RequirePermissions('orders:write')
class OrdersController {
  constructor(private readonly probe: Probe) {}

  @Post()
  @Idempotent()
  create(@Body() dto: OrderDto, @CurrentPrincipal() principal: Principal) {
    this.probe.calls++;
    return { id: `order-${this.probe.calls}`, item: dto.item, qty: dto.qty, tenant: principal.tenantId };
  }

  @Post('slow')
  @Idempotent()
  async slow(@Body() dto: OrderDto) {
    const n = ++this.probe.calls;
    this.probe.enter();
    await this.probe.gate;
    return { id: `order-${n}`, item: dto.item };
  }

  @Post('accepted')
  @Idempotent()
  @HttpCode(202)
  accept(@Body() dto: OrderDto) {
    this.probe.calls++;
    return { accepted: dto.item, n: this.probe.calls };
  }

  @Post('empty')
  @Idempotent()
  @HttpCode(204)
  empty(@Body() _dto: OrderDto) {
    this.probe.calls++;
  }

  @Post('failing')
  @Idempotent()
  failing(@Body() _dto: OrderDto) {
    this.probe.calls++;
    throw new DomainError('conflict', 'orders.out-of-stock', 'out of stock');
  }

  @Post('plain')
  plain(@Body() dto: OrderDto) {
    this.probe.calls++;
    return { n: this.probe.calls, item: dto.item };
  }

  @Post('public')
  @Public()
  @Idempotent()
  publicCreate(@Body() dto: OrderDto) {
    this.probe.calls++;
    return { n: this.probe.calls, item: dto.item };
  }
}

const keyRing: { keys: JWK[] } = { keys: [] };
const clock = { now: Date.parse('2026-01-01T00:00:00.000Z') };

function testModule(store: ReadStore): unknown {
  @Module({
    imports: [
      AuthModule.forRoot({ verifier: accessTokenVerifier(localJwks(() => keyRing)) }),
      IdempotencyModule.forRoot({ store, now: () => clock.now }),
    ],
    controllers: [OrdersController],
    providers: [Probe],
  })
  class IdempotencyTestModule {}
  return IdempotencyTestModule;
}

const order = { item: 'widget', qty: 2 };

// Prefer the real embedded read store; the minimal Map-based double shows that the interceptor
// relies on nothing beyond the port's basic calls.
const stores: Array<[string, () => Promise<ReadStore>]> = [
  ['embedded read store', () => EmbeddedReadStore.open()],
  ['minimal in-memory read store', () => Promise.resolve(new MemoryReadStore())],
];

for (const [storeName, openStore] of stores)
describe(`@Idempotent() routes with Idempotency-Key (${storeName})`, () => {
  let store: ReadStore;
  let booted: BootedApp;
  let probe: Probe;
  let signing: SigningKey;
  let tokenA: string;
  let tokenB: string;

  before(async () => {
    store = await openStore();
    booted = await bootApp(testModule(store));
    probe = booted.app.get(Probe);
    signing = await makeKey(`k-${storeName}`);
    keyRing.keys.push(signing.publicJwk);
    tokenA = await signToken(signing, { tid: 'tenant-a', perms: ['orders:write'] });
    tokenB = await signToken(signing, { tid: 'tenant-b', perms: ['orders:write'] });
  });
  after(async () => {
    await booted.app.close();
    await store.close();
  });
  beforeEach(async () => {
    probe.calls = 0;
    await store.collection(IDEMPOTENCY_COLLECTION).deleteMany({});
  });

  const post = (url: string, payload: unknown, opts: { key?: string; token?: string | null } = {}) =>
    booted.app.inject({
      method: 'POST',
      url,
      payload: payload as object,
      headers: {
        ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? tokenA}` }),
        ...(opts.key === undefined ? {} : { 'idempotency-key': opts.key }),
      },
    });

  const records = () => store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION).find({});

  it('stores the first 2xx response and replays it for a repeat with the same body', async () => {
    const first = await post('/orders', order, { key: 'key-1' });
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers['idempotent-replayed'], undefined);
    assert.deepEqual(first.json(), { id: 'order-1', item: 'widget', qty: 2, tenant: 'tenant-a' });

    const again = await post('/orders', { qty: 2, item: 'widget' }, { key: 'key-1' }); // same data, other key order
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    assert.equal(probe.calls, 1);

    const [record] = await records();
    assert.ok(record);
    assert.equal((await records()).length, 1);
    assert.equal(record.state, 'completed');
    assert.equal(record.status, 201);
    assert.deepEqual(JSON.parse(record.body as string), first.json());
    assert.equal(record.requestHash, createHash('sha256').update(canonicalJson(order)).digest('hex'));
    assert.equal(record.createdAt, new Date(clock.now).toISOString());
    assert.equal(record.tenantId, 'tenant-a');
    assert.equal(record.route, '/orders');
    assert.equal(record.method, 'POST');
  });

  it('answers the same key with a different body with 422', async () => {
    assert.equal((await post('/orders', order, { key: 'key-2' })).statusCode, 201);
    const other = await post('/orders', { ...order, qty: 3 }, { key: 'key-2' });
    assert.equal(other.statusCode, 422);
    assert.equal(other.headers['content-type'], 'application/problem+json');
    const body = other.json();
    assert.equal(body.code, 'idempotency-key-reused');
    assert.deepEqual(body.errors.map((e: { field: string }) => e.field), ['Idempotency-Key']);
    assert.equal(probe.calls, 1);
  });

  it('answers a concurrent request with the same key with 409 while the first is in flight', async () => {
    probe.arm();
    const first = post('/orders/slow', order, { key: 'key-3' });
    await probe.entered;
    const concurrent = await post('/orders/slow', order, { key: 'key-3' });
    assert.equal(concurrent.statusCode, 409);
    assert.equal(concurrent.headers['content-type'], 'application/problem+json');
    assert.equal(concurrent.json().code, 'idempotency-request-in-progress');
    assert.equal(concurrent.headers['retry-after'], '1');
    probe.release();
    const done = await first;
    assert.equal(done.statusCode, 201);
    assert.deepEqual(done.json(), { id: 'order-1', item: 'widget' });
    const replay = await post('/orders/slow', order, { key: 'key-3' });
    assert.equal(replay.statusCode, 201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.deepEqual(replay.json(), done.json());
    assert.equal(probe.calls, 1);
  });

  it('replays the route status (202) and empty bodies (204)', async () => {
    const first = await post('/orders/accepted', order, { key: 'key-4' });
    assert.equal(first.statusCode, 202);
    const again = await post('/orders/accepted', order, { key: 'key-4' });
    assert.equal(again.statusCode, 202);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), { accepted: 'widget', n: 1 });

    const empty = await post('/orders/empty', order, { key: 'key-5' });
    assert.equal(empty.statusCode, 204);
    const emptyAgain = await post('/orders/empty', order, { key: 'key-5' });
    assert.equal(emptyAgain.statusCode, 204);
    assert.equal(emptyAgain.headers['idempotent-replayed'], 'true');
    assert.equal(emptyAgain.body, '');
    assert.equal(probe.calls, 2);
  });

  it('does not store failures: errors and validation failures can be retried with the same key', async () => {
    const failed = await post('/orders/failing', order, { key: 'key-6' });
    assert.equal(failed.statusCode, 409);
    assert.equal(failed.json().code, 'orders.out-of-stock');
    const failedAgain = await post('/orders/failing', order, { key: 'key-6' });
    assert.equal(failedAgain.statusCode, 409);
    assert.equal(failedAgain.headers['idempotent-replayed'], undefined);
    assert.equal(probe.calls, 2);
    assert.equal((await records()).length, 0);

    const invalid = await post('/orders', { item: 'widget', qty: 0 }, { key: 'key-7' });
    assert.equal(invalid.statusCode, 400);
    assert.equal((await records()).length, 0);
    const fixed = await post('/orders', order, { key: 'key-7' });
    assert.equal(fixed.statusCode, 201);
  });

  it('validates the key: 1–255 visible ASCII characters, else 400 naming the header', async () => {
    for (const bad of ['x'.repeat(256), 'has space', 'tab\there', 'ünïcode', '']) {
      const res = await post('/orders', order, { key: bad });
      assert.equal(res.statusCode, 400, JSON.stringify(bad));
      const body = res.json();
      assert.deepEqual(body.errors.map((e: { field: string }) => e.field), ['Idempotency-Key']);
    }
    assert.equal(probe.calls, 0);
    assert.equal((await post('/orders', order, { key: 'x'.repeat(255) })).statusCode, 201);
    assert.equal((await post('/orders', order, { key: '!~' })).statusCode, 201);
  });

  it('runs every request without a key, and ignores the header on undecorated routes', async () => {
    assert.equal((await post('/orders', order)).statusCode, 201);
    assert.equal((await post('/orders', order)).statusCode, 201);
    const plain1 = await post('/orders/plain', order, { key: 'key-8' });
    const plain2 = await post('/orders/plain', order, { key: 'key-8' });
    assert.deepEqual([plain1.json().n, plain2.json().n], [3, 4]);
    assert.equal(plain2.headers['idempotent-replayed'], undefined);
    assert.equal((await records()).length, 0);
  });

  it('scopes keys per tenant and per route; public routes share the "public" scope', async () => {
    const a = await post('/orders', order, { key: 'shared' });
    const b = await post('/orders', order, { key: 'shared', token: tokenB });
    assert.equal(b.headers['idempotent-replayed'], undefined);
    assert.deepEqual([a.json().tenant, b.json().tenant], ['tenant-a', 'tenant-b']);
    const otherRoute = await post('/orders/accepted', order, { key: 'shared' });
    assert.equal(otherRoute.headers['idempotent-replayed'], undefined);
    const pub1 = await post('/orders/public', order, { key: 'shared', token: null });
    const pub2 = await post('/orders/public', order, { key: 'shared', token: null });
    assert.equal(pub1.statusCode, 201);
    assert.equal(pub2.headers['idempotent-replayed'], 'true');
    assert.equal(probe.calls, 4);
    assert.deepEqual((await records()).map((r) => r.tenantId).sort(), ['public', 'tenant-a', 'tenant-a', 'tenant-b']);
  });

  it('forgets keys after 24 hours', async () => {
    const start = clock.now;
    try {
      await post('/orders', order, { key: 'key-9' });
      clock.now = start + 24 * 60 * 60 * 1000 - 1;
      assert.equal((await post('/orders', order, { key: 'key-9' })).headers['idempotent-replayed'], 'true');
      clock.now = start + 24 * 60 * 60 * 1000;
      const fresh = await post('/orders', { ...order, qty: 5 }, { key: 'key-9' });
      assert.equal(fresh.statusCode, 201);
      assert.equal(fresh.headers['idempotent-replayed'], undefined);
      assert.equal(fresh.json().qty, 5);
      assert.equal(probe.calls, 2);
    } finally {
      clock.now = start;
    }
  });

  it('takes over an in-flight marker abandoned by a crashed request', async () => {
    const start = clock.now;
    try {
      probe.arm();
      const stuck = post('/orders/slow', order, { key: 'key-10' });
      await probe.entered;
      clock.now = start + 61_000; // past the 60 s in-flight timeout
      probe.arm();
      const takeover = post('/orders/slow', order, { key: 'key-10' });
      await probe.entered;
      probe.release();
      const [first, second] = await Promise.all([stuck, takeover]);
      assert.equal(first.statusCode, 201);
      assert.deepEqual(first.json(), { id: 'order-1', item: 'widget' });
      assert.equal(second.statusCode, 201);
      assert.deepEqual(second.json(), { id: 'order-2', item: 'widget' });
      assert.equal(probe.calls, 2);
      // the record is the taking-over request's: the abandoned one does not overwrite it
      const replay = await post('/orders/slow', order, { key: 'key-10' });
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.deepEqual(replay.json(), { id: 'order-2', item: 'widget' });
      const [record] = await records();
      assert.equal(record?.createdAt, new Date(start + 61_000).toISOString());
    } finally {
      clock.now = start;
    }
  });
});
