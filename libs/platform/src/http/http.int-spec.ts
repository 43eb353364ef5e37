import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Body, ConflictException, Controller, Get, Module, Param, Post, Query } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsArray, IsEmail, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min, MinLength, ValidateNested } from 'class-validator';
import { ConcurrencyRetriesExhaustedError, DomainError, type DomainErrorKind } from '@leadstream/event-sourcing';
import { DuplicateKeyError } from '@leadstream/read-store';
import { bootApp, type BootedApp } from '../testing-support/boot';
import { decodeCursor, encodeCursor, CursorPageQuery } from './pagination';

class AdminDto {
  @ApiProperty() @IsEmail() email!: string;
  @ApiProperty() @IsString() @MinLength(12) password!: string;
}

class ContactDto {
  @ApiProperty() @IsEmail() email!: string;
}

class CreateTenantDto {
  @ApiProperty() @IsString() @IsNotEmpty() name!: string;
  @ApiProperty() @IsInt() @Min(1) seats!: number;
  @ApiProperty({ type: AdminDto }) @ValidateNested() @Type(() => AdminDto) admin!: AdminDto;
  @ApiProperty({ required: false, type: [String] }) @IsOptional() @IsArray() @IsString({ each: true }) tags?: string[];
  @ApiProperty({ required: false, type: [ContactDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => ContactDto)
  contacts?: ContactDto[];
}

class ListQuery {
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100) limit?: number;
  @IsOptional() @IsIn(['asc', 'desc']) order?: string;
}

@Controller('tenants')
class TenantsController {
  @Post()
  create(@Body() dto: CreateTenantDto) {
    return { dto, isInstance: dto instanceof CreateTenantDto, adminIsInstance: dto.admin instanceof AdminDto };
  }

  @Get()
  list(@Query() query: ListQuery) {
    return { limit: query.limit ?? null, limitType: typeof query.limit, order: query.order ?? null };
  }

  @Get('page')
  page(@Query() query: CursorPageQuery) {
    return { limit: query.limit ?? null, after: query.cursor ? decodeCursor(query.cursor) : null };
  }

  @Get('domain/:kind')
  domain(@Param('kind') kind: string) {
    throw new DomainError(kind as DomainErrorKind, 'tenants.test-rule', `the test rule was broken (${kind})`, { name: 'is already taken' });
  }

  @Get('boom')
  boom() {
    throw new Error('connection to db://admin:hunter2@10.0.0.5 refused');
  }

  @Get('duplicate')
  duplicate() {
    throw new DuplicateKeyError('tenants_by_slug', { slug: 'acme' });
  }

  @Get('concurrency')
  concurrency() {
    throw new ConcurrencyRetriesExhaustedError('tenant-1', 6);
  }

  @Get('http-conflict')
  httpConflict() {
    throw new ConflictException('tenant already exists');
  }

  @Get('teapot')
  teapot() {
    throw Object.assign(new Error('short and stout'), { statusCode: 418 });
  }
}

@Module({ controllers: [TenantsController] })
class TestModule {}

const validTenant = () => ({
  name: 'Acme',
  seats: 3,
  admin: { email: 'ada@acme.test', password: 'correct horse battery' },
  tags: ['b2b'],
});

const PROBLEM_JSON = 'application/problem+json';

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code?: string;
  errors: Array<{ field: string; reason: string }>;
}

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, status: number): ProblemBody {
  assert.equal(res.statusCode, status);
  assert.equal(res.headers['content-type'], PROBLEM_JSON);
  const body = res.json() as ProblemBody;
  assert.equal(body.status, status);
  assert.equal(typeof body.type, 'string');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.equal(typeof body.instance, 'string');
  return body;
}

describe('HTTP conventions (Nest on Fastify)', () => {
  let booted: BootedApp;
  before(async () => {
    booted = await bootApp(TestModule, {
      bodyLimit: 4096,
      openApi: { title: 'Platform test API', description: 'test', version: '1.2.3' },
    });
  });
  after(async () => {
    await booted.app.close();
  });

  const inject = (opts: Parameters<BootedApp['app']['inject']>[0]) => booted.app.inject(opts as never);

  it('accepts a valid body and hands the handler DTO instances', async () => {
    const res = await inject({ method: 'POST', url: '/tenants', payload: validTenant() });
    assert.equal(res.statusCode, 201);
    const body = res.json();
    assert.deepEqual(body.dto, validTenant());
    assert.equal(body.isInstance, true);
    assert.equal(body.adminIsInstance, true);
  });

  it('lists every invalid field: missing, wrong type, nested, array item and unknown properties', async () => {
    const res = await inject({
      method: 'POST',
      url: '/tenants',
      payload: {
        seats: '3',
        admin: { email: 'not-an-email', password: 'short', role: 'owner' },
        tags: ['ok', 7],
        contacts: [{ email: 'bob@acme.test' }, { email: 'nope' }],
        plan: 'gold',
      },
    });
    const body = assertProblem(res, 400);
    assert.equal(body.code, 'validation-failed');
    assert.equal(body.instance, '/tenants');
    const fields = new Set(body.errors.map((e: { field: string }) => e.field));
    for (const f of ['name', 'seats', 'admin.email', 'admin.password', 'admin.role', 'tags', 'contacts.1.email', 'plan']) {
      assert.ok(fields.has(f), `expected an error for ${f}, got ${JSON.stringify(body.errors)}`);
    }
    const reasonOf = (field: string) => body.errors.filter((e: { field: string }) => e.field === field).map((e: { reason: string }) => e.reason);
    assert.deepEqual(reasonOf('plan'), ['property plan should not exist']);
    assert.deepEqual(reasonOf('admin.role'), ['property role should not exist']);
    assert.ok(reasonOf('seats').some((r: string) => /integer/.test(r)), JSON.stringify(reasonOf('seats')));
    assert.ok(reasonOf('admin.password').some((r: string) => /longer than or equal to 12/.test(r)));
    // class-validator checks `each` on primitives at the array level; nested DTO items get their index
    assert.deepEqual(reasonOf('tags'), ['each value in tags must be a string']);
    assert.deepEqual(reasonOf('contacts.1.email'), ['email must be an email']);
    assert.ok(!fields.has('contacts.0.email'));
    for (const e of body.errors) {
      assert.deepEqual(Object.keys(e).sort(), ['field', 'reason']);
      assert.equal(typeof e.reason, 'string');
    }
    assert.match(body.detail, /name/);
  });

  it('rejects a single unknown property naming it', async () => {
    const res = await inject({ method: 'POST', url: '/tenants', payload: { ...validTenant(), isAdmin: true } });
    const body = assertProblem(res, 400);
    assert.deepEqual(body.errors, [{ field: 'isAdmin', reason: 'property isAdmin should not exist' }]);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await inject({
      method: 'POST',
      url: '/tenants',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Acme", ',
    });
    const body = assertProblem(res, 400);
    assert.equal(body.code, 'malformed-json');
    assert.equal(body.instance, '/tenants');
  });

  it('answers an empty JSON body with a 400 problem', async () => {
    const res = await inject({ method: 'POST', url: '/tenants', headers: { 'content-type': 'application/json' }, payload: '' });
    assert.equal(assertProblem(res, 400).code, 'malformed-json');
  });

  it('answers a JSON array where an object is expected with a 400 problem', async () => {
    const res = await inject({ method: 'POST', url: '/tenants', payload: [validTenant()] });
    assertProblem(res, 400);
  });

  it('answers a wrong content type with 415', async () => {
    for (const contentType of ['text/plain', 'application/xml']) {
      const res = await inject({ method: 'POST', url: '/tenants', headers: { 'content-type': contentType }, payload: 'name=Acme' });
      assertProblem(res, 415);
    }
  });

  it('answers a body over the limit with 413', async () => {
    const res = await inject({ method: 'POST', url: '/tenants', payload: { ...validTenant(), name: 'x'.repeat(10_000) } });
    const body = assertProblem(res, 413);
    assert.equal(body.title, 'Payload Too Large');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const res = await inject({ method: 'GET', url: '/no/such/route?token=abc' });
    const body = assertProblem(res, 404);
    assert.equal(body.instance, '/no/such/route');
    assert.equal(body.title, 'Not Found');
    const wrongMethod = await inject({ method: 'DELETE', url: '/tenants' });
    assertProblem(wrongMethod, 404);
  });

  it('converts numeric query parameters declared with @Type(() => Number)', async () => {
    const ok = await inject({ method: 'GET', url: '/tenants?limit=25&order=desc' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { limit: 25, limitType: 'number', order: 'desc' });

    const bad = await inject({ method: 'GET', url: '/tenants?limit=abc&order=sideways&extra=1' });
    const body = assertProblem(bad, 400);
    const fields = body.errors.map((e: { field: string }) => e.field);
    assert.ok(fields.includes('limit'));
    assert.ok(fields.includes('order'));
    assert.ok(body.errors.some((e: { field: string; reason: string }) => e.field === 'extra' && e.reason === 'property extra should not exist'));
  });

  it('pages with opaque cursors and answers a bad cursor with a 400 naming cursor', async () => {
    const cursor = encodeCursor({ after: 'lead-42', n: 2 });
    const ok = await inject({ method: 'GET', url: `/tenants/page?limit=2&cursor=${cursor}` });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { limit: 2, after: { after: 'lead-42', n: 2 } });

    for (const bad of ['%%%', 'bm90IGpzb24', encodeCursor(42)]) {
      const res = await inject({ method: 'GET', url: `/tenants/page?cursor=${bad}` });
      const body = assertProblem(res, 400);
      assert.deepEqual(body.errors.map((e: { field: string }) => e.field), ['cursor']);
    }
  });

  it('maps DomainError kinds to statuses with code and field errors', async () => {
    const expected: Record<DomainErrorKind, number> = {
      invalid: 400,
      unauthorized: 401,
      forbidden: 403,
      not_found: 404,
      conflict: 409,
      unprocessable: 422,
    };
    for (const [kind, status] of Object.entries(expected)) {
      const res = await inject({ method: 'GET', url: `/tenants/domain/${kind}` });
      const body = assertProblem(res, status);
      assert.equal(body.code, 'tenants.test-rule');
      assert.equal(body.detail, `the test rule was broken (${kind})`);
      assert.equal(body.type, 'urn:leadstream:problem:tenants.test-rule');
      assert.deepEqual(body.errors, [{ field: 'name', reason: 'is already taken' }]);
      if (status === 401) assert.equal(res.headers['www-authenticate'], 'Bearer');
    }
  });

  it('maps DuplicateKeyError and ConcurrencyRetriesExhaustedError to 409 without internals', async () => {
    const dup = await inject({ method: 'GET', url: '/tenants/duplicate' });
    const dupBody = assertProblem(dup, 409);
    assert.equal(dupBody.code, 'duplicate-key');
    assert.doesNotMatch(dup.body, /tenants_by_slug/);
    const conc = await inject({ method: 'GET', url: '/tenants/concurrency' });
    const concBody = assertProblem(conc, 409);
    assert.equal(concBody.code, 'concurrency-conflict');
    assert.doesNotMatch(conc.body, /tenant-1/);
  });

  it('keeps the status of Nest HttpExceptions and of errors with a 4xx statusCode', async () => {
    const conflict = await inject({ method: 'GET', url: '/tenants/http-conflict' });
    assert.equal(assertProblem(conflict, 409).detail, 'tenant already exists');
    const teapot = await inject({ method: 'GET', url: '/tenants/teapot' });
    assert.equal(assertProblem(teapot, 418).detail, 'short and stout');
  });

  it('answers unexpected errors with a generic 500 and logs the stack', async () => {
    const res = await inject({ method: 'GET', url: '/tenants/boom', headers: { 'x-request-id': 'req-boom-1' } });
    const body = assertProblem(res, 500);
    assert.equal(body.detail, 'An unexpected error occurred.');
    assert.doesNotMatch(res.body, /hunter2|10\.0\.0\.5|at .*\.js/);
    assert.equal(body.title, 'Internal Server Error');
    const logged = booted.logs.find((l) => l['requestId'] === 'req-boom-1');
    assert.ok(logged, 'the failure is logged with its request id');
    assert.equal(logged['level'], 'error');
    const err = logged['err'] as { message: string; stack: string };
    assert.match(err.message, /refused/);
    assert.match(err.stack, /TenantsController\.boom/);
  });

  it('honours and echoes X-Request-Id / X-Correlation-Id, or makes one up', async () => {
    const own = await inject({ method: 'GET', url: '/tenants', headers: { 'x-request-id': 'abc-123' } });
    assert.equal(own.headers['x-request-id'], 'abc-123');
    const corr = await inject({ method: 'GET', url: '/tenants', headers: { 'x-correlation-id': 'corr-9' } });
    assert.equal(corr.headers['x-request-id'], 'corr-9');
    const fresh = await inject({ method: 'GET', url: '/tenants' });
    assert.match(String(fresh.headers['x-request-id']), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const unsafe = await inject({ method: 'GET', url: '/tenants', headers: { 'x-request-id': 'has spaces <script>' } });
    assert.notEqual(unsafe.headers['x-request-id'], 'has spaces <script>');
    assert.match(String(unsafe.headers['x-request-id']), /^[0-9a-f-]{36}$/);
    const onError = await inject({ method: 'GET', url: '/nope', headers: { 'x-request-id': 'err-7' } });
    assert.equal(onError.statusCode, 404);
    assert.equal(onError.headers['x-request-id'], 'err-7');
    const onParseError = await inject({
      method: 'POST',
      url: '/tenants',
      headers: { 'x-request-id': 'err-8', 'content-type': 'application/json' },
      payload: '{',
    });
    assert.equal(onParseError.statusCode, 400);
    assert.equal(onParseError.headers['x-request-id'], 'err-8');
  });

  it('serves the OpenAPI document at /docs-json with the bearer scheme', async () => {
    const res = await inject({ method: 'GET', url: '/docs-json' });
    assert.equal(res.statusCode, 200);
    const doc = res.json();
    assert.equal(doc.info.title, 'Platform test API');
    assert.equal(doc.info.version, '1.2.3');
    assert.ok(doc.paths['/tenants'], 'routes are documented');
    assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    assert.deepEqual(doc.security, [{ bearer: [] }]);
  });

  it('serves Swagger UI at /docs, with its assets', async () => {
    const res = await inject({ method: 'GET', url: '/docs' });
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.match(res.body, /swagger-ui/i);
    const init = await inject({ method: 'GET', url: '/docs/swagger-ui-init.js' });
    assert.equal(init.statusCode, 200);
    assert.match(init.body, /Platform test API/);
    const bundle = await inject({ method: 'GET', url: '/docs/swagger-ui-bundle.js' });
    assert.equal(bundle.statusCode, 200);
    assert.match(String(bundle.headers['content-type']), /javascript/);
  });
});

describe('HTTP conventions over a real socket', () => {
  let booted: BootedApp;
  let base: string;
  before(async () => {
    booted = await bootApp(TestModule, { bodyLimit: 4096 });
    await booted.app.listen(0, '127.0.0.1');
    const address = booted.app.getHttpServer().address();
    assert.ok(address && typeof address === 'object');
    base = `http://127.0.0.1:${address.port}`;
  });
  after(async () => {
    await booted.app.close();
  });

  it('answers over HTTP with problem+json, request ids, 413 and 404', async () => {
    const created = await fetch(`${base}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'net-1' },
      body: JSON.stringify(validTenant()),
    });
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('x-request-id'), 'net-1');
    await created.arrayBuffer();

    const tooBig = await fetch(`${base}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...validTenant(), name: 'y'.repeat(50_000) }),
    });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.headers.get('content-type'), PROBLEM_JSON);
    assert.equal(((await tooBig.json()) as { status: number }).status, 413);

    const missing = await fetch(`${base}/missing`);
    assert.equal(missing.status, 404);
    assert.equal(missing.headers.get('content-type'), PROBLEM_JSON);
    const body = (await missing.json()) as { instance: string };
    assert.equal(body.instance, '/missing');
  });
});
