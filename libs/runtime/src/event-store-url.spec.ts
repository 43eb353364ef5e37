import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventStoreUrl } from './event-store-url';

describe('EVENTSTORE_URL', () => {
  it('reads sqlite file locations', () => {
    assert.deepEqual(parseEventStoreUrl('sqlite:./data/leads/events.db'), { kind: 'sqlite', path: './data/leads/events.db' });
    assert.deepEqual(parseEventStoreUrl('sqlite:///var/lib/leadstream/events.db'), { kind: 'sqlite', path: '/var/lib/leadstream/events.db' });
  });

  it('reads KurrentDB connection strings', () => {
    for (const url of ['kurrentdb://127.0.0.1:2113?tls=false', 'esdb://db:2113', 'kurrentdb+discover://a,b,c']) {
      assert.deepEqual(parseEventStoreUrl(url), { kind: 'kurrentdb', connectionString: url });
    }
  });

  it('refuses anything else', () => {
    for (const url of ['', 'sqlite:', 'postgres://db/x', 'events.db', 'kurrentdb://']) assert.equal(parseEventStoreUrl(url), null, url);
  });
});
