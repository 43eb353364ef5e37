import type { EventStore } from '@leadstream/event-sourcing';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import { drivers } from './drivers';

export type EventStoreLocation = { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'kurrentdb'; readonly connectionString: string };

/**
 * `EVENTSTORE_URL`: `sqlite:<file>` (embedded, one file per service) or a KurrentDB connection
 * string (`kurrentdb://host:2113?tls=false`, also `esdb://` and the `+discover` forms).
 * Returns null when the value is neither.
 */
export function parseEventStoreUrl(url: string): EventStoreLocation | null {
  const value = url.trim();
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    return path.length > 0 ? { kind: 'sqlite', path } : null;
  }
  if (/^(kurrentdb|kdb|esdb|eventstore)(\+discover)?:\/\/[^/\s]+/.test(value)) return { kind: 'kurrentdb', connectionString: value };
  return null;
}

export function openEventStore(location: EventStoreLocation, options: { synchronous?: 'full' | 'normal' } = {}): EventStore {
  switch (location.kind) {
    case 'sqlite':
      return new SqliteEventStore({ path: location.path, synchronous: options.synchronous ?? 'full' });
    case 'kurrentdb':
      return drivers.kurrentDb().KurrentDbEventStore.connect(location.connectionString);
  }
}
