import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryEventStore, streamIdOf, type EventStore, type ReadStreamOptions } from '@leadstream/event-sourcing';
import { LEAD_SCHEMA_CATEGORY, type LeadSchemaEvent } from './domain/lead-schema.events';
import { SYSTEM_FIELD_KEYS } from './domain/lead-schema.types';
import { LeadSchemaReader } from './lead-schema.reader';

const meta = (tenantId: string) => ({ tenantId, correlationId: 'c1' });
const created = (i: number): LeadSchemaEvent => ({
  type: 'leads.CustomFieldCreated',
  data: { fieldId: `f${i}`, key: `field_${i}`, label: `Field ${i}`, type: 'integer', required: false, hidden: false, attributes: {} },
});

async function append(store: EventStore, enterpriseId: string, events: readonly LeadSchemaEvent[]): Promise<void> {
  await store.appendToStream(
    streamIdOf(LEAD_SCHEMA_CATEGORY, enterpriseId),
    events.map((e) => ({ ...e, metadata: meta(enterpriseId) })),
  );
}

/** Records the revision each readStream call starts from. */
function spying(store: EventStore): { store: EventStore; reads: (number | undefined)[] } {
  const reads: (number | undefined)[] = [];
  const wrapped = Object.create(store) as EventStore;
  wrapped.readStream = (streamId: string, options?: ReadStreamOptions) => {
    reads.push(options?.fromRevision);
    return store.readStream(streamId, options);
  };
  return { store: wrapped, reads };
}

describe('LeadSchemaReader (LEAD-4)', () => {
  it('an empty stream is the default schema', async () => {
    const schema = await new LeadSchemaReader(new InMemoryEventStore()).get('e1');
    assert.equal(schema.enterpriseId, 'e1');
    assert.equal(schema.revision, -1);
    assert.deepEqual(schema.customFields, []);
    assert.deepEqual(schema.systemFields, SYSTEM_FIELD_KEYS.map((key) => ({ key, hidden: false })));
  });

  it('is always current and reads only the tail of the stream after the cached revision', async () => {
    const base = new InMemoryEventStore();
    const { store, reads } = spying(base);
    const reader = new LeadSchemaReader(store);
    await append(base, 'e1', Array.from({ length: 600 }, (_, i) => created(i)));
    const first = await reader.get('e1');
    assert.equal(first.customFields.length, 600);
    assert.equal(first.revision, 599);
    // written by someone else (another process): the next read sees it
    await append(base, 'e1', [{ type: 'leads.CustomFieldDeleted', data: { fieldId: 'f0' } }, { type: 'leads.SystemFieldVisibilityChanged', data: { key: 'qq', hidden: true } }]);
    const second = await reader.get('e1');
    assert.equal(second.revision, 601);
    assert.equal(second.customFields[0]?.deleted, true);
    assert.equal(second.systemFields.find((s) => s.key === 'qq')?.hidden, true);
    const third = await reader.get('e1');
    assert.equal(third, second, 'unchanged stream: the cached schema itself');
    assert.deepEqual(reads, [0, 600, 602]);
  });

  it('keeps enterprises apart', async () => {
    const store = new InMemoryEventStore();
    await append(store, 'e1', [created(1)]);
    const reader = new LeadSchemaReader(store);
    assert.equal((await reader.get('e1')).customFields.length, 1);
    assert.equal((await reader.get('e2')).customFields.length, 0);
  });

  it('concurrent reads agree and never move the cache backwards', async () => {
    const store = new InMemoryEventStore();
    const reader = new LeadSchemaReader(store);
    await append(store, 'e1', [created(1)]);
    const pending = reader.get('e1');
    await append(store, 'e1', [created(2)]);
    const [a, b] = await Promise.all([pending, reader.get('e1')]);
    assert.ok(a.revision <= b.revision);
    assert.equal((await reader.get('e1')).revision, 1);
    assert.equal((await reader.get('e1')).customFields.length, 2);
  });
});
