import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { request } from 'node:http';
import { join } from 'node:path';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json } from './testing/http-client';

const PASSWORD = 'correct horse battery';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('0000000dIHDR payload of a tiny png', 'latin1')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF rest', 'latin1')]);
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00 rest', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF', 'latin1'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 rest of it', 'latin1')]);

interface BinaryReply {
  status: number;
  headers: Headers;
  bytes: Buffer;
  json: Json;
}

describe('image assets (LEAD-4 image fields) against the real host', () => {
  let dataDir: string;
  let host: HostProcess;
  const a = { enterpriseId: '', token: '' };
  const b = { enterpriseId: '', token: '' };
  let readerToken = '';

  const send = async (token: string | null, method: string, path: string, body?: Buffer | string, headers: Record<string, string> = {}): Promise<BinaryReply> => {
    const res = await fetch(`${host.url}${path}`, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers }, body });
    const bytes = Buffer.from(await res.arrayBuffer());
    let json: Json = {};
    if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(bytes.toString('utf8')) as Json;
    return { status: res.status, headers: res.headers, bytes, json };
  };
  const upload = (token: string | null, body: Buffer | string, contentType = 'image/png') => send(token, 'POST', '/v1/assets', body, { 'content-type': contentType });
  /**
   * The server refuses a declared length over the limit before reading the body. The client sends
   * the head and the first bytes, then waits for the answer: writing all 10 MiB into a connection
   * the server has already answered and closed would race with the reset.
   */
  const uploadTooLarge = (token: string, body: Buffer) =>
    new Promise<BinaryReply>((resolve, reject) => {
      const url = new URL('/v1/assets', host.url);
      const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png', 'content-length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          req.destroy();
          const bytes = Buffer.concat(chunks);
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, bytes, json: JSON.parse(bytes.toString('utf8')) as Json });
        });
      });
      req.on('error', reject);
      req.write(body.subarray(0, 1024));
    });
  const assertProblem = (res: BinaryReply, status: number, field?: string) => {
    assert.equal(res.status, status, res.bytes.toString('utf8'));
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    if (field !== undefined) assert.ok(((res.json['errors'] ?? []) as { field: string }[]).some((e) => e.field === field), `${field} is named: ${res.bytes.toString('utf8')}`);
  };
  const login = async (enterpriseId: string, accountName: string) => {
    const res = await call(host.url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: PASSWORD } });
    assert.equal(res.status, 200, res.text);
    return res.json['accessToken'] as string;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-assets-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    for (const [tenant, name] of [
      [a, 'Acme Images'],
      [b, 'Globex Images'],
    ] as const) {
      const created = await call(host.url, 'POST', '/v1/enterprises', { body: { name, seatQuota: 10, admin: { accountName: 'admin', password: PASSWORD, realName: 'Ada' } } });
      assert.equal(created.status, 201, created.text);
      tenant.enterpriseId = created.json['enterpriseId'];
      tenant.token = await login(tenant.enterpriseId, 'admin');
    }
    const member = await call(host.url, 'POST', '/v1/members', { token: a.token, body: { accountName: 'reader', password: PASSWORD } });
    assert.equal(member.status, 201, member.text);
    const role = await call(host.url, 'POST', '/v1/roles', { token: a.token, body: { name: 'Readers', packages: ['leads:read'] } });
    assert.equal(role.status, 201, role.text);
    assert.equal((await call(host.url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: a.token, body: { memberIds: [member.json['id']] } })).status, 200);
    readerToken = await login(a.enterpriseId, 'reader');
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('stores PNG, JPEG, GIF and WebP, typed by their bytes, and serves them back byte for byte under safe headers', async () => {
    for (const [image, type] of [
      [PNG, 'image/png'],
      [JPEG, 'image/jpeg'],
      [GIF, 'image/gif'],
      [WEBP, 'image/webp'],
    ] as const) {
      // the declared type does not matter: the bytes decide
      const created = await upload(a.token, image, 'application/octet-stream');
      assert.equal(created.status, 201, created.bytes.toString('utf8'));
      assert.equal(created.json['contentType'], type);
      assert.equal(created.json['size'], image.length);
      assert.equal(created.json['sha256'], createHash('sha256').update(image).digest('hex'));
      assert.equal(created.headers.get('location'), `/v1/assets/${created.json['id']}`);
      const served = await send(readerToken, 'GET', `/v1/assets/${created.json['id']}`);
      assert.equal(served.status, 200);
      assert.deepEqual(served.bytes, image);
      assert.equal(served.headers.get('content-type'), type);
      assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(served.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      assert.equal(served.headers.get('content-disposition'), 'inline');
      assert.equal(served.headers.get('cross-origin-resource-policy'), 'same-origin');
      assert.equal(served.headers.get('cache-control'), 'private, max-age=31536000, immutable');
      assert.equal(served.headers.get('etag'), `"${created.json['sha256']}"`);
      const again = await send(readerToken, 'GET', `/v1/assets/${created.json['id']}`, undefined, { 'if-none-match': served.headers.get('etag')! });
      assert.equal(again.status, 304);
      assert.equal(again.bytes.length, 0);
    }
  });

  it('refuses SVG, HTML, text and empty bodies naming body; over 10 MiB is a 413 naming body; other content types 415', async () => {
    assertProblem(await upload(a.token, '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', 'image/svg+xml'), 400, 'body');
    assertProblem(await upload(a.token, '<svg onload="alert(1)"/>', 'image/png'), 400, 'body');
    assertProblem(await upload(a.token, '<!doctype html><script>alert(1)</script>', 'image/gif'), 400, 'body');
    assertProblem(await upload(a.token, Buffer.alloc(0), 'image/png'), 400, 'body');
    assertProblem(await send(a.token, 'POST', '/v1/assets', JSON.stringify({ image: 'x' }), { 'content-type': 'application/json' }), 400, 'body');
    assertProblem(await uploadTooLarge(a.token, Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)])), 413, 'body');
    assertProblem(await upload(a.token, 'hello', 'text/html'), 415);
    // other routes keep their JSON bodies: an image body there is a 415
    assertProblem(await send(a.token, 'POST', '/v1/leads', PNG, { 'content-type': 'image/png' }), 415);
  });

  it('checks permission and tenant: 401 without a token, 403 without leads:write, 404 across tenants, 400 for a bad id', async () => {
    assertProblem(await upload(null, PNG), 401);
    assertProblem(await upload(readerToken, PNG), 403);
    const created = await upload(a.token, PNG);
    assert.equal(created.status, 201);
    assertProblem(await send(b.token, 'GET', `/v1/assets/${created.json['id']}`), 404);
    assertProblem(await send(a.token, 'GET', `/v1/assets/${randomUUID()}`), 404);
    assertProblem(await send(a.token, 'GET', '/v1/assets/not-a-uuid'), 400, 'id');
    assertProblem(await send(null, 'GET', `/v1/assets/${created.json['id']}`), 401);
  });

  it('an image custom field takes an uploaded asset of its enterprise and refuses others', async () => {
    const field = await call(host.url, 'POST', '/v1/lead-schema/fields', { token: a.token, body: { key: 'badge', label: 'Badge', type: 'image', attributes: { maxBytes: 1024 } } });
    assert.equal(field.status, 201, field.text);
    const mine = await upload(a.token, PNG);
    const theirs = await upload(b.token, PNG);
    const big = await upload(a.token, Buffer.concat([PNG, Buffer.alloc(2048)]));
    const lead = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800000077', fields: { badge: mine.json['id'] } } });
    assert.equal(lead.status, 201, lead.text);
    const shown = await eventually(() => call(host.url, 'GET', `/v1/leads/${lead.json['id']}`, { token: a.token }), (r) => r.status === 200);
    assert.equal((shown.json['fields'] as Json)['badge'], mine.json['id']);
    for (const id of [theirs.json['id'], big.json['id'], randomUUID()]) {
      const refused = await call(host.url, 'POST', '/v1/leads', { token: a.token, body: { phone: '13800000078', fields: { badge: id } } });
      assert.equal(refused.status, 400, refused.text);
      assert.ok((refused.json['errors'] as { field: string }[]).some((e) => e.field === 'fields.badge'), refused.text);
    }
  });
});
