import assert from 'node:assert/strict';
import { call } from './http-client';

export const TEST_PASSWORD = 'correct horse battery';

export interface SignedIn {
  enterpriseId: string;
  token: string;
}

/** Signs in an account of an enterprise; asserts it works. */
export async function login(url: string, enterpriseId: string, accountName: string): Promise<string> {
  const res = await call(url, 'POST', '/v1/auth/login', { body: { enterpriseId, accountName, password: TEST_PASSWORD } });
  assert.equal(res.status, 200, res.text);
  return res.json['accessToken'] as string;
}

/** Creates an enterprise with an admin account `admin` and signs the admin in. */
export async function createEnterprise(url: string, name: string, timeZone = 'Asia/Shanghai'): Promise<SignedIn> {
  const created = await call(url, 'POST', '/v1/enterprises', {
    body: { name, timeZone, seatQuota: 10, admin: { accountName: 'admin', password: TEST_PASSWORD, realName: 'Ada' } },
  });
  assert.equal(created.status, 201, created.text);
  const enterpriseId = created.json['enterpriseId'] as string;
  return { enterpriseId, token: await login(url, enterpriseId, 'admin') };
}

/** Adds a member holding a role with exactly these permission packages, and signs them in. */
export async function memberWithPackages(url: string, admin: SignedIn, accountName: string, packages: readonly string[]): Promise<string> {
  const member = await call(url, 'POST', '/v1/members', { token: admin.token, body: { accountName, password: TEST_PASSWORD } });
  assert.equal(member.status, 201, member.text);
  const role = await call(url, 'POST', '/v1/roles', { token: admin.token, body: { name: `Role ${accountName}`, packages } });
  assert.equal(role.status, 201, role.text);
  const assigned = await call(url, 'POST', `/v1/roles/${role.json['id']}/members`, { token: admin.token, body: { memberIds: [member.json['id']] } });
  assert.equal(assigned.status, 200, assigned.text);
  return login(url, admin.enterpriseId, accountName);
}
