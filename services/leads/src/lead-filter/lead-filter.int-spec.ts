/**
 * The filter language and keyset pagination against real read stores: the embedded store
 * always, MongoDB / FerretDB when MONGODB_URL is set (`.ci/run` sets it). Every filter's result
 * is checked against a plain predicate over the same documents, and every sortable field is paged
 * through in both directions (nulls included) and compared with the expected order.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { EmbeddedReadStore } from '@leadstream/read-store-embedded';
import { MongoReadStore } from '@leadstream/read-store-mongo';
import type { CustomFieldDefinition, LeadSchema } from '../lead-schema/domain/lead-schema.types';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../lead/projections/lead-list/lead-list.schema';
import { compileLeadFilter, type LeadFilterDefinition } from './query/lead-filter';
import { afterCursor, cursorPositionOf, resolveSort, sortOf, valueAt, type LeadSortDefinition } from './query/lead-sort';

const TENANT = '00000000-0000-4000-8000-0000000000aa';
const OTHER = '00000000-0000-4000-8000-0000000000bb';
const STATUS = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003'];
const OWNER = '00000000-0000-4000-8000-0000000000c1';
const OPT = { red: '00000000-0000-4000-8000-00000000e001', green: '00000000-0000-4000-8000-00000000e002', blue: '00000000-0000-4000-8000-00000000e003' };

function field(id: string, key: string, type: CustomFieldDefinition['type'], extra: Partial<CustomFieldDefinition> = {}): CustomFieldDefinition {
  const options = type === 'singleChoice' || type === 'multiChoice' ? Object.entries(OPT).map(([label, oid]) => ({ id: oid, label, retired: false })) : undefined;
  return { id, key, label: key, type, required: false, hidden: false, deleted: false, attributes: options ? ({ options }) : {}, ...extra };
}

const F = { city: 'f-city', budget: 'f-budget', rating: 'f-rating', colour: 'f-colour', interests: 'f-interests', visit: 'f-visit', met: 'f-met', old: 'f-old' };
const SCHEMA: Pick<LeadSchema, 'customFields'> = {
  customFields: [
    field(F.city, 'city', 'text'),
    field(F.budget, 'budget', 'integer'),
    field(F.rating, 'rating', 'real'),
    field(F.colour, 'colour', 'singleChoice'),
    field(F.interests, 'interests', 'multiChoice'),
    field(F.visit, 'visit', 'date'),
    field(F.met, 'met', 'dateTime'),
    field(F.old, 'legacy', 'text', { deleted: true }),
  ],
};

const CITIES = ['Shanghai', 'Beijing', 'Shenzhen', 'shanghai pudong', null];
const COLOURS = [OPT.red, OPT.green, OPT.blue, null];

function makeDocs(count: number): LeadListDocument[] {
  const docs: LeadListDocument[] = [];
  for (let i = 0; i < count; i++) {
    const fields: Record<string, unknown> = {};
    const city = CITIES[i % CITIES.length];
    if (city !== null) fields[F.city] = city;
    if (i % 4 !== 0) fields[F.budget] = (i * 37) % 1000;
    if (i % 6 !== 0) fields[F.rating] = Math.round(((i * 13) % 50) * 10) / 100;
    const colour = COLOURS[i % COLOURS.length];
    if (colour !== null) fields[F.colour] = colour;
    if (i % 3 === 0) fields[F.interests] = [];
    else fields[F.interests] = i % 3 === 1 ? [OPT.red] : [OPT.red, OPT.blue];
    if (i % 5 !== 0) fields[F.visit] = `2026-0${1 + (i % 9)}-1${i % 10}`;
    if (i % 7 !== 0) fields[F.met] = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000 * 5).toISOString();
    fields[F.old] = 'secret old value';
    const createdAt = new Date(Date.UTC(2026, 5, 1) + (i % 50) * 60_000).toISOString(); // duplicates: ties broken by id
    docs.push({
      _id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`,
      tenantId: i % 10 === 9 ? OTHER : TENANT,
      name: i % 8 === 0 ? null : `Lead ${i}`,
      phone: `1380013${String(i).padStart(4, '0')}`,
      qq: null,
      email: i % 2 === 0 ? `lead${i}@example.com` : null,
      company: i % 3 === 0 ? 'Acme' : null,
      title: null,
      source: i % 3 === 0 ? 'expo' : 'web',
      activityId: null,
      ownerId: i % 4 === 1 ? OWNER : null,
      statusId: STATUS[i % 3]!,
      tags: i % 5 === 0 ? ['vip', 'hot'] : i % 5 === 1 ? ['hot'] : [],
      score: i % 3 === 2 ? null : i % 100,
      fields: fields as LeadListDocument['fields'],
      createdBy: OWNER,
      createdAt,
      updatedAt: createdAt,
      searchText: `lead ${i} acme`.toLowerCase(),
      position: i,
    });
  }
  return docs;
}

const DOCS = makeDocs(240);
const f = (doc: LeadListDocument, id: string): unknown => (doc.fields as Record<string, unknown>)[id] ?? null;

/** Filters with the leads they must select, as a plain predicate. */
const CASES: { name: string; def: LeadFilterDefinition; expect: (d: LeadListDocument) => boolean }[] = [
  { name: 'text contains (case-insensitive)', def: { conditions: [{ field: 'city', op: 'contains', value: 'SHANG' }] }, expect: (d) => /shang/i.test((f(d, F.city) as string | null) ?? '') },
  { name: 'text equals', def: { conditions: [{ field: 'fields.city', op: 'equals', value: 'Beijing' }] }, expect: (d) => f(d, F.city) === 'Beijing' },
  { name: 'text empty', def: { conditions: [{ field: 'city', op: 'empty' }] }, expect: (d) => f(d, F.city) === null },
  { name: 'text not empty', def: { conditions: [{ field: 'name', op: 'notEmpty' }] }, expect: (d) => d.name !== null },
  { name: 'text noneOf keeps empty', def: { conditions: [{ field: 'city', op: 'noneOf', value: ['Beijing', 'Shanghai'] }] }, expect: (d) => !['Beijing', 'Shanghai'].includes(String(f(d, F.city))) },
  { name: 'integer range', def: { conditions: [{ field: 'budget', op: 'between', value: [100, 400] }] }, expect: (d) => typeof f(d, F.budget) === 'number' && (f(d, F.budget) as number) >= 100 && (f(d, F.budget) as number) <= 400 },
  { name: 'integer gt', def: { conditions: [{ field: 'budget', op: 'gt', value: 900 }] }, expect: (d) => (f(d, F.budget) as number) > 900 },
  { name: 'real lte', def: { conditions: [{ field: 'rating', op: 'lte', value: 0.1 }] }, expect: (d) => typeof f(d, F.rating) === 'number' && (f(d, F.rating) as number) <= 0.1 },
  { name: 'number empty', def: { conditions: [{ field: 'budget', op: 'empty' }] }, expect: (d) => f(d, F.budget) === null },
  { name: 'system score range', def: { conditions: [{ field: 'score', op: 'gte', value: 50 }] }, expect: (d) => d.score !== null && d.score >= 50 },
  { name: 'single choice anyOf', def: { conditions: [{ field: 'colour', op: 'anyOf', value: [OPT.red, OPT.blue] }] }, expect: (d) => [OPT.red, OPT.blue].includes(f(d, F.colour) as string) },
  { name: 'single choice empty', def: { conditions: [{ field: 'colour', op: 'empty' }] }, expect: (d) => f(d, F.colour) === null },
  { name: 'multi choice allOf', def: { conditions: [{ field: 'interests', op: 'allOf', value: [OPT.red, OPT.blue] }] }, expect: (d) => ((f(d, F.interests) as string[] | null) ?? []).length === 2 },
  { name: 'multi choice anyOf', def: { conditions: [{ field: 'interests', op: 'anyOf', value: [OPT.blue] }] }, expect: (d) => ((f(d, F.interests) as string[] | null) ?? []).includes(OPT.blue) },
  { name: 'multi choice empty (empty list)', def: { conditions: [{ field: 'interests', op: 'empty' }] }, expect: (d) => ((f(d, F.interests) as string[] | null) ?? []).length === 0 },
  { name: 'multi choice not empty', def: { conditions: [{ field: 'interests', op: 'notEmpty' }] }, expect: (d) => ((f(d, F.interests) as string[] | null) ?? []).length > 0 },
  { name: 'tags allOf', def: { conditions: [{ field: 'tags', op: 'allOf', value: ['vip', 'hot'] }] }, expect: (d) => d.tags.includes('vip') && d.tags.includes('hot') },
  { name: 'tags noneOf', def: { conditions: [{ field: 'tags', op: 'noneOf', value: ['vip'] }] }, expect: (d) => !d.tags.includes('vip') },
  { name: 'tags empty', def: { conditions: [{ field: 'tags', op: 'empty' }] }, expect: (d) => d.tags.length === 0 },
  { name: 'date range', def: { conditions: [{ field: 'visit', op: 'between', value: ['2026-03-01', '2026-05-31'] }] }, expect: (d) => { const v = f(d, F.visit) as string | null; return v !== null && v >= '2026-03-01' && v <= '2026-05-31'; } },
  { name: 'date-time to a day (inclusive, UTC tenant)', def: { conditions: [{ field: 'met', op: 'to', value: '2026-01-10' }] }, expect: (d) => { const v = f(d, F.met) as string | null; return v !== null && v < '2026-01-11T00:00:00.000Z'; } },
  { name: 'date-time from an instant with offset', def: { conditions: [{ field: 'met', op: 'from', value: '2026-02-01T08:00:00+08:00' }] }, expect: (d) => { const v = f(d, F.met) as string | null; return v !== null && v >= '2026-02-01T00:00:00.000Z'; } },
  { name: 'status and owner', def: { conditions: [{ field: 'status', op: 'equals', value: STATUS[1] }, { field: 'owner', op: 'equals', value: OWNER }] }, expect: (d) => d.statusId === STATUS[1] && d.ownerId === OWNER },
  { name: 'owner empty', def: { conditions: [{ field: 'owner', op: 'empty' }] }, expect: (d) => d.ownerId === null },
  { name: 'match any', def: { match: 'any', conditions: [{ field: 'source', op: 'equals', value: 'expo' }, { field: 'budget', op: 'gte', value: 990 }] }, expect: (d) => d.source === 'expo' || (f(d, F.budget) as number) >= 990 },
  { name: 'conditions and free text', def: { q: 'lead 1', conditions: [{ field: 'source', op: 'equals', value: 'web' }] }, expect: (d) => d.searchText.includes('lead 1') && d.source === 'web' },
  { name: 'no conditions: every lead of the tenant', def: {}, expect: () => true },
];

const SORTS: LeadSortDefinition[] = [
  { field: 'createdAt', direction: 'desc' },
  { field: 'createdAt', direction: 'asc' },
  { field: 'name', direction: 'asc' },
  { field: 'score', direction: 'desc' },
  { field: 'budget', direction: 'asc' },
  { field: 'budget', direction: 'desc' },
  { field: 'rating', direction: 'asc' },
  { field: 'visit', direction: 'desc' },
  { field: 'met', direction: 'asc' },
  { field: 'city', direction: 'desc' },
];

function compare(a: unknown, b: unknown): number {
  // MongoDB order: null (and missing) before numbers before strings; strings by code point.
  const rank = (v: unknown) => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (a === null) return 0;
  return (a as number | string) < (b as number | string) ? -1 : (a as number | string) > (b as number | string) ? 1 : 0;
}

function expectedOrder(docs: readonly LeadListDocument[], sort: LeadSortDefinition): string[] {
  const resolved = resolveSort(sort, SCHEMA);
  const dir = resolved.direction;
  return [...docs]
    .sort((x, y) => dir * (compare(valueAt(x, resolved.field.path), valueAt(y, resolved.field.path)) || compare(x._id, y._id)))
    .map((d) => d._id);
}

interface Target {
  readonly name: string;
  open(): Promise<{ store: ReadStore; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    name: 'embedded',
    async open() {
      const store = await EmbeddedReadStore.open();
      return { store, close: () => store.close() };
    },
  },
];
const mongoUrl = process.env['MONGODB_URL'];
if (mongoUrl) {
  targets.push({
    name: 'mongodb',
    async open() {
      const store = await MongoReadStore.connect({ url: mongoUrl, dbName: `leadstream_filter_${randomBytes(5).toString('hex')}` });
      return {
        store,
        close: async () => {
          await store.connection.dropDatabase();
          await store.close();
        },
      };
    },
  });
} else {
  console.log('lead-filter: MongoDB part skipped: MONGODB_URL is not set (run `npm run infra:up`); the embedded store runs');
}

for (const target of targets) {
  describe(`lead list filter language on the ${target.name} read store`, () => {
    let opened: { store: ReadStore; close(): Promise<void> };
    const mine = DOCS.filter((d) => d.tenantId === TENANT);

    before(async () => {
      opened = await target.open();
      await opened.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions).insertMany(DOCS);
    });
    after(async () => opened.close());

    const select = async (def: LeadFilterDefinition): Promise<string[]> => {
      const compiled = compileLeadFilter(def, SCHEMA, 'UTC');
      const filter: Filter = Object.keys(compiled).length === 0 ? { tenantId: TENANT } : { $and: [{ tenantId: TENANT }, compiled] };
      const docs = await opened.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions).find(filter, { sort: { _id: 1 } });
      return docs.map((d) => d._id);
    };

    for (const c of CASES) {
      it(`selects exactly the leads of: ${c.name}`, async () => {
        const expected = mine.filter(c.expect).map((d) => d._id).sort();
        assert.ok(expected.length > 0 || c.name.includes('none'), `the case selects something (${c.name})`);
        assert.ok(expected.length < mine.length || c.name.startsWith('no conditions'), `the case leaves something out (${c.name})`);
        assert.deepEqual(await select(c.def), expected);
      });
    }

    for (const sort of SORTS) {
      it(`pages through every lead by ${sort.field} ${sort.direction}, nulls and ties included, without gaps or repeats`, async () => {
        const resolved = resolveSort(sort, SCHEMA);
        const leads = opened.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
        const seen: string[] = [];
        let after: Filter | null = null;
        for (let page = 0; page < 100; page++) {
          const filter: Filter = after ? { $and: [{ tenantId: TENANT }, after] } : { tenantId: TENANT };
          const docs = await leads.find(filter, { sort: sortOf(resolved), limit: 17 });
          seen.push(...docs.map((d) => d._id));
          if (docs.length < 17) break;
          after = afterCursor(resolved, cursorPositionOf(resolved, docs[docs.length - 1]!));
        }
        assert.deepEqual(seen, expectedOrder(mine, sort));
      });
    }
  });
}
