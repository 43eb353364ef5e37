import {
  deepFreeze,
  streamCategory,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionHandler,
} from '@leadstream/event-sourcing';
import { LEAD_CATEGORY, SEALED_LEAD_EVENT_TYPES } from '../lead/domain/lead.events';
import type { LeadKeyStore } from './lead-key-store.port';
import { isSealed, openPersonalData, sealPersonalText, type SealedPersonalData } from './personal-data-cipher';

interface PersonalCarrier {
  readonly leadId: string;
  readonly enterpriseId: string;
  readonly personal: unknown;
}

interface RecentlySealed {
  readonly leadId: string;
  readonly ciphertext: string;
  readonly text: string;
}

function carriesPersonal(type: string, streamId: string): boolean {
  return SEALED_LEAD_EVENT_TYPES.has(type) && streamCategory(streamId) === LEAD_CATEGORY;
}

/**
 * The leads service's view of its event log: `data.personal` of lead events is sealed with the
 * lead's key on the way in and opened on the way out. Everything that reads through it (command
 * handlers, projections) sees clear data; the log itself, the relay and Kafka only ever hold the
 * sealed form. Once a lead's key is destroyed, its events read back with `personal: null`.
 */
export class SealingEventStore implements EventStore {
  constructor(
    readonly inner: EventStore,
    private readonly keys: LeadKeyStore,
  ) {}

  async appendToStream(streamId: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult> {
    const sealed = await Promise.all(events.map((event) => this.seal(streamId, event)));
    return this.inner.appendToStream(streamId, sealed, options);
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readStream(streamId, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.openAll(await this.inner.readAll(options));
  }

  subscribeToAll(options: SubscribeOptions, handler: SubscriptionHandler): Subscription {
    return this.inner.subscribeToAll(options, async (events) => handler(await this.openAll(events)));
  }

  headPosition(categories?: readonly string[]): Promise<number> {
    return this.inner.headPosition(categories);
  }

  /** The inner store is owned by whoever made it; closing this view closes nothing. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * A lead's personal data sealed elsewhere (the import's worker thread) under a key drawn there:
   * that key is stored as the lead's, durably, before the caller appends the event; a lead that
   * already has a key (an import resumed after a crash between storing a key and appending the
   * event) keeps it, and `text` is sealed again under it. Answers the sealed value to append.
   */
  async adoptSealed(leadId: string, tenantId: string, sealed: SealedPersonalData, key: Buffer, text: string): Promise<SealedPersonalData> {
    const stored = await this.keys.keyFor(leadId, tenantId, true, key);
    if (stored === null) throw new Error(`lead ${leadId} has no data key: its personal data was erased`);
    const final = stored.equals(key) ? sealed : sealPersonalText(text, stored, leadId);
    this.rememberSealed(final, leadId, text);
    return final;
  }

  private async seal(streamId: string, event: NewEvent): Promise<NewEvent> {
    if (!carriesPersonal(event.type, streamId)) return event;
    const data = event.data as PersonalCarrier;
    if (data.personal === null || isSealed(data.personal)) return event;
    const key = await this.keys.keyFor(data.leadId, data.enterpriseId, event.type === 'leads.LeadCreated');
    if (key === null) throw new Error(`lead ${data.leadId} has no data key: its personal data was erased`);
    const text = JSON.stringify(data.personal);
    const sealed = sealPersonalText(text, key, data.leadId);
    this.rememberSealed(sealed, data.leadId, text);
    return { ...event, data: { ...data, personal: sealed } };
  }

  /**
   * The clear text of what this process sealed last, by nonce (two generations of at most
   * RECENTLY_SEALED_MAX / 2 each: the older is dropped whole when the newer fills): the
   * projections read an event back moments after it is appended (decoded anew from the log, so
   * not the sealed object itself), and parsing the text it was sealed from answers exactly what
   * decrypting it would, for a fraction of the cost. An entry answers only for the same lead and
   * the same ciphertext, and only once the lead's key is found (an erased lead reads back null).
   */
  private recentlySealed = new Map<string, RecentlySealed>();
  private previouslySealed = new Map<string, RecentlySealed>();
  static readonly RECENTLY_SEALED_MAX = 8_192;

  private rememberSealed(sealed: SealedPersonalData, leadId: string, text: string): void {
    if (this.recentlySealed.size >= SealingEventStore.RECENTLY_SEALED_MAX / 2) {
      this.previouslySealed = this.recentlySealed;
      this.recentlySealed = new Map();
    }
    this.recentlySealed.set(sealed.iv, { leadId, ciphertext: sealed.ciphertext, text });
  }

  private sealedText(sealed: SealedPersonalData, leadId: string): string | undefined {
    const entry = this.recentlySealed.get(sealed.iv) ?? this.previouslySealed.get(sealed.iv);
    return entry !== undefined && entry.leadId === leadId && entry.ciphertext === sealed.ciphertext ? entry.text : undefined;
  }

  /**
   * Clear personal data by sealed value: the event log hands every subscription the same decoded
   * (frozen) event of its tail cache, so the projections following it — the list, the contacts —
   * open each event once between them, not once each. Entries go with their sealed value; a lead
   * whose key is destroyed is never looked up (its key is checked first), so erasure still reads
   * back `null`. The clear value is frozen like the event it comes from.
   */
  private readonly openedBySealed = new WeakMap<object, unknown>();

  private opened(sealed: SealedPersonalData, key: Buffer, leadId: string): unknown {
    const known = this.openedBySealed.get(sealed);
    if (known !== undefined) return known;
    const text = this.sealedText(sealed, leadId);
    const value = deepFreeze(text !== undefined ? (JSON.parse(text) as unknown) : openPersonalData(sealed, key, leadId));
    this.openedBySealed.set(sealed, value);
    return value;
  }

  /**
   * The opened form of each event of the log's tail cache (the same frozen object reaches every
   * subscription): the projections following the log share one lazily opened copy instead of
   * making one each. It is handed out only after the lead's key was found for that read (so an
   * erased lead still reads back null), and it opens with the key found last.
   */
  private readonly openedEvents = new WeakMap<RecordedEvent, OpenedEvent>();

  /**
   * Fetches the keys first (mostly from the key cache), then opens each event's personal data
   * lazily, on first access: a projection that never reads `personal` (the trend counts) pays
   * nothing for it.
   */
  private async openAll(events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = new Array<RecordedEvent>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i]!;
      const data = event.data as PersonalCarrier;
      if (!carriesPersonal(event.type, event.streamId) || !isSealed(data.personal)) {
        out[i] = event;
        continue;
      }
      const key = await this.keys.keyFor(data.leadId, data.enterpriseId, false);
      if (key === null) {
        out[i] = { ...event, data: { ...data, personal: null } };
        continue;
      }
      let opened = this.openedEvents.get(event);
      if (opened === undefined) {
        opened = this.lazilyOpened(event, data, data.personal, key);
        this.openedEvents.set(event, opened);
      } else {
        opened.key = key;
      }
      out[i] = opened.event;
    }
    return out;
  }

  private lazilyOpened(event: RecordedEvent, data: PersonalCarrier, sealed: SealedPersonalData, key: Buffer): OpenedEvent {
    const lazy = { ...data } as Record<string, unknown>;
    const opened: OpenedEvent = { event: { ...event, data: lazy }, key };
    let value: unknown;
    let done = false;
    Object.defineProperty(lazy, 'personal', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (!done) {
          value = this.opened(sealed, opened.key, data.leadId);
          done = true;
        }
        return value;
      },
    });
    return opened;
  }
}

interface OpenedEvent {
  readonly event: RecordedEvent;
  /** The lead's key as the last read found it (opening uses it). */
  key: Buffer;
}
