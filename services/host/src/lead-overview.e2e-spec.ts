import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { startHostProcess, type HostProcess } from './testing/host-process';
import { call, eventually, type Json, type Reply } from './testing/http-client';
import { createEnterprise, memberWithPackages, type SignedIn } from './testing/enterprise-setup';

const NEW = '00000000-0000-4000-8000-000000000001';
const QUALIFIED = '00000000-0000-4000-8000-000000000003';
const TIME_ZONE = 'Asia/Shanghai';

/** A calendar day in the enterprise time zone, `offset` days from today. */
function localDay(offset = 0): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + offset * 86_400_000));
}

interface Series {
  kind?: string;
  key: string | null;
  label: string;
  counts: number[];
}

describe('lead overview: new leads, by source, by activity, status at the end of each period; JSON and CSV (LEAD-11)', () => {
  let dataDir: string;
  let host: HostProcess;
  let a: SignedIn;
  let b: SignedIn;
  let strangerToken = '';
  const from = localDay(-6);
  const to = localDay(0);

  const trend = (path: string, token = a.token, extra = '') => call(host.url, 'GET', `/v1/lead-overview/${path}?from=${from}&to=${to}${extra}`, { token });
  const today = (res: Reply, key: string | null) => {
    const periods = res.json['periods'] as string[];
    const series = (res.json['series'] as Series[]).find((s) => s.key === key);
    return series === undefined ? 0 : series.counts[periods.indexOf(to)]!;
  };

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadstream-lead-overview-e2e-'));
    host = await startHostProcess({ DATA_DIR: dataDir });
    a = await createEnterprise(host.url, 'Acme Overview', TIME_ZONE);
    b = await createEnterprise(host.url, 'Globex Overview', TIME_ZONE);
    const leads: Json[] = [
      { name: 'Expo one', phone: '13900000001', source: 'expo', activityId: 'spring-fair' },
      { name: 'Expo two', phone: '13900000002', source: 'expo' },
      { name: 'Expo three', phone: '13900000003', source: 'expo' },
      { name: 'Web one', phone: '13900000004', source: 'web', activityId: 'spring-fair' },
      { name: 'No source', phone: '13900000005' },
    ];
    const ids: string[] = [];
    for (const body of leads) {
      const res = await call(host.url, 'POST', '/v1/leads', { token: a.token, body });
      assert.equal(res.status, 201, res.text);
      ids.push(res.json['id'] as string);
    }
    assert.equal((await call(host.url, 'PUT', `/v1/leads/${ids[1]}/status`, { token: a.token, body: { statusId: QUALIFIED } })).status, 200);
    assert.equal((await call(host.url, 'DELETE', `/v1/leads/${ids[3]}`, { token: a.token })).status, 204);
    assert.equal((await call(host.url, 'POST', '/v1/leads', { token: b.token, body: { name: 'Other', phone: '13700000000', source: 'expo' } })).status, 201);

    strangerToken = await memberWithPackages(host.url, a, 'stranger', ['org:read']);

    // the projections have seen the delete once the status trend no longer counts the deleted lead
    const settled = await eventually(
      () => trend('statuses'),
      (r) => r.status === 200 && today(r, NEW) === 3 && today(r, QUALIFIED) === 1,
    );
    assert.equal(settled.status, 200, settled.text);
  });

  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('counts new leads per day in the enterprise time zone; a deleted lead still arrived', async () => {
    const res = await trend('new-leads');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json['timeZone'], TIME_ZONE);
    const buckets = res.json['buckets'] as { date: string; count: number }[];
    assert.equal(buckets.length, 7);
    assert.deepEqual(buckets.at(-1), { date: to, count: 5 });
    assert.equal(buckets.slice(0, -1).reduce((n, x) => n + x.count, 0), 0);
    const other = await trend('new-leads', b.token);
    assert.equal((other.json['buckets'] as { count: number }[]).at(-1)!.count, 1, 'the other enterprise sees only its own lead');
  });

  it('splits new leads by source and by activity, leads without one under (none)', async () => {
    const sources = await trend('sources');
    assert.equal(sources.status, 200, sources.text);
    assert.equal(today(sources, 'expo'), 3);
    assert.equal(today(sources, 'web'), 1);
    const none = (sources.json['series'] as Series[]).find((s) => s.kind === 'none');
    assert.ok(none, sources.text);
    assert.equal(none.counts.at(-1), 1);
    const activities = await trend('activities');
    assert.equal(activities.status, 200, activities.text);
    assert.equal(today(activities, 'spring-fair'), 2);
    assert.equal((activities.json['series'] as Series[]).find((s) => s.kind === 'none')!.counts.at(-1), 3);
  });

  it('gives the status of every lead at the end of each period, derived from transitions and deletions', async () => {
    const res = await trend('statuses');
    assert.equal(res.status, 200, res.text);
    const periods = res.json['periods'] as string[];
    assert.equal(periods.length, 7);
    assert.equal(today(res, NEW), 3, 'five created, one qualified, one deleted');
    assert.equal(today(res, QUALIFIED), 1);
    for (const s of res.json['series'] as Series[]) assert.equal(s.counts[0], 0, `no lead before today in ${s.label}`);
  });

  it('answers CSV with a BOM, one row per period and one column per series, matching the JSON', async () => {
    const res = await fetch(`${host.url}/v1/lead-overview/sources?from=${from}&to=${to}&format=csv`, { headers: { authorization: `Bearer ${a.token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.subarray(3).toString('utf8'));
    assert.equal(rows.length, 8, 'header + seven days');
    const header = rows[0]!;
    const last = rows.at(-1)!;
    assert.equal(last[0], to);
    assert.equal(last[header.indexOf('expo')], '3');
    assert.equal(last[header.indexOf('web')], '1');
    const byAccept = await fetch(`${host.url}/v1/lead-overview/statuses?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${a.token}`, accept: 'text/csv' } });
    assert.equal(byAccept.status, 200);
    assert.match(byAccept.headers.get('content-type') ?? '', /text\/csv/);
  });

  it('buckets by month, refuses an unknown granularity naming it, and needs leads:read', async () => {
    const month = await trend('new-leads', a.token, '&granularity=month');
    assert.equal(month.status, 200, month.text);
    const buckets = month.json['buckets'] as { count: number }[];
    assert.equal(buckets.reduce((n, x) => n + x.count, 0), 5);
    const bad = await trend('statuses', a.token, '&granularity=year');
    assert.equal(bad.status, 400, bad.text);
    assert.ok(((bad.json['errors'] ?? []) as { field: string }[]).some((e) => e.field === 'granularity'), bad.text);
    for (const path of ['new-leads', 'sources', 'activities', 'statuses']) assert.equal((await trend(path, strangerToken)).status, 403, path);
  });
});
