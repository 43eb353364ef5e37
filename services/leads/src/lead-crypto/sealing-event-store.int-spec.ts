import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { streamIdOf, type NewEvent } from '@leadstream/event-sourcing';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { LEAD_CATEGORY } from '../lead/domain/lead.events';
import { isSealed, openPersonalData, type SealedPersonalData } from './personal-data-cipher';
import { SealingEventStore } from './sealing-event-store';
import { SqliteLeadKeyStore } from './sqlite-lead-key-store';

const TENANT = '00000000-0000-4000-8000-00000000eeee';

function leadId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function created(id: string, personal: Record<string, unknown>): NewEvent {
  return {
    type: 'leads.LeadCreated',
    data: { leadId: id, enterpriseId: TENANT, personal, source: null, activityId: null, statusId: 's', ownerId: null, tags: [], createdBy: 'm', createdAt: '2026-12-01T00:00:00.000Z' },
    metadata: { tenantId: TENANT, correlationId: 'c', causationId: 'c', actor: 'm' },
  };
}

describe('SealingEventStore: what this process sealed is read back without decrypting, exactly as decrypting would answer', () => {
  let dir: string;
  let raw: SqliteEventStore;
  let keys: SqliteLeadKeyStore;
  let store: SealingEventStore;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sealing-store-'));
    raw = new SqliteEventStore({ path: join(dir, 'events.db') });
    keys = new SqliteLeadKeyStore(join(dir, 'keys.db'));
    store = new SealingEventStore(raw, keys);
  });
  after(async () => {
    await raw.close();
    await keys.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back the clear data of fresh and of evicted events alike, equal to decrypting them; the log holds only the sealed form', async () => {
    const count = SealingEventStore.RECENTLY_SEALED_MAX + 50;
    // what JSON makes of the value (an undefined member is dropped): the same either way
    const personal = (n: number) => ({ name: `Lead ${n}`, phone: `1380000${n}`, qq: null, email: null, company: 'ACME', title: undefined, fields: { n } });
    for (let n = 0; n < count; n += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, count - n) }, (_, i) => store.appendToStream(streamIdOf(LEAD_CATEGORY, leadId(n + i)), [created(leadId(n + i), personal(n + i))], { expectedRevision: 'no_stream' })),
      );
    }
    const sealed = await raw.readAll({ categories: [LEAD_CATEGORY], maxCount: count + 1 });
    const opened = await store.readAll({ categories: [LEAD_CATEGORY], maxCount: count + 1 });
    assert.equal(opened.length, count);
    for (let n = 0; n < count; n++) {
      const inLog = (sealed[n]!.data as { personal: SealedPersonalData }).personal;
      assert.ok(isSealed(inLog), `event ${n} is sealed in the log`);
      const key = (await keys.keyFor(leadId(n), TENANT, false))!;
      const decrypted = openPersonalData(inLog, key, leadId(n));
      const read = (opened[n]!.data as { personal: unknown }).personal;
      assert.deepEqual(read, decrypted, `event ${n}`);
      assert.deepEqual(read, { name: `Lead ${n}`, phone: `1380000${n}`, qq: null, email: null, company: 'ACME', fields: { n } }, `event ${n}`);
      assert.ok(Object.isFrozen(read), `event ${n} is frozen`);
    }
  });

  it('answers for its own lead only: a sealed value copied into another lead\'s event does not open', async () => {
    const victim = leadId(900_001);
    const other = leadId(900_002);
    await store.appendToStream(streamIdOf(LEAD_CATEGORY, victim), [created(victim, { name: 'Victim', phone: '13900000001' })], { expectedRevision: 'no_stream' });
    await store.appendToStream(streamIdOf(LEAD_CATEGORY, other), [created(other, { name: 'Other', phone: '13900000002' })], { expectedRevision: 'no_stream' });
    const [victimEvent] = await raw.readStream(streamIdOf(LEAD_CATEGORY, victim));
    const copied = (victimEvent!.data as { personal: SealedPersonalData }).personal;
    await raw.appendToStream(streamIdOf(LEAD_CATEGORY, other), [{ type: 'leads.LeadUpdated', data: { leadId: other, enterpriseId: TENANT, personal: copied, updatedBy: 'm', updatedAt: '2026-12-01T00:00:01.000Z' }, metadata: { tenantId: TENANT, correlationId: 'c', causationId: 'c', actor: 'm' } }]);
    // and the other lead's own nonce with a ciphertext that is not the one sealed under it
    const [otherEvent] = await raw.readStream(streamIdOf(LEAD_CATEGORY, other));
    const own = (otherEvent!.data as { personal: SealedPersonalData }).personal;
    const tampered: SealedPersonalData = { ...own, ciphertext: copied.ciphertext };
    await raw.appendToStream(streamIdOf(LEAD_CATEGORY, other), [{ type: 'leads.LeadUpdated', data: { leadId: other, enterpriseId: TENANT, personal: tampered, updatedBy: 'm', updatedAt: '2026-12-01T00:00:02.000Z' }, metadata: { tenantId: TENANT, correlationId: 'c', causationId: 'c', actor: 'm' } }]);
    const events = await store.readStream(streamIdOf(LEAD_CATEGORY, other));
    assert.equal((events[0]!.data as { personal: { name: string } }).personal.name, 'Other');
    assert.throws(() => (events[1]!.data as { personal: unknown }).personal, /Unsupported state or unable to authenticate data/);
    assert.throws(() => (events[2]!.data as { personal: unknown }).personal, /Unsupported state or unable to authenticate data/);
  });

  it('an erased lead reads back null, however recently it was sealed', async () => {
    const id = leadId(900_003);
    await store.appendToStream(streamIdOf(LEAD_CATEGORY, id), [created(id, { name: 'Erased', phone: '13900000003' })], { expectedRevision: 'no_stream' });
    await keys.destroy(id);
    const [event] = await store.readStream(streamIdOf(LEAD_CATEGORY, id));
    assert.equal((event!.data as { personal: unknown }).personal, null);
  });

  it('readers of the same logged event share one opened copy of it, until its lead is erased', async () => {
    const id = leadId(900_004);
    await store.appendToStream(streamIdOf(LEAD_CATEGORY, id), [created(id, { name: 'Shared', phone: '13900000004' })], { expectedRevision: 'no_stream' });
    const head = await raw.headPosition();
    const readOne = async () => (await store.readAll({ after: head - 1, categories: [LEAD_CATEGORY], maxCount: 1 }))[0]!;
    const first = await readOne();
    const second = await readOne();
    assert.equal(second, first, 'both reads got the one opened event');
    assert.equal((second.data as { personal: { name: string } }).personal.name, 'Shared');
    await keys.destroy(id);
    const third = await readOne();
    assert.notEqual(third, first);
    assert.equal((third.data as { personal: unknown }).personal, null);
    assert.equal((third.data as { leadId: string }).leadId, id);
  });
});
