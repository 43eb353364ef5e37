import { DuplicateKeyError, type Collection, type Document } from '@leadstream/read-store';
import { KeyCache, LEAD_KEY_BYTES, type LeadKeyStore } from './lead-key-store.port';
import { secureRandomBytes } from './random-pool';

export const LEAD_KEYS_COLLECTION = 'leads_lead_keys';

interface LeadKeyDocument extends Document {
  _id: string;
  tenantId: string;
  key: string;
  createdAt: string;
}

/**
 * Lead keys in a document collection (distributed mode: MongoDB, beside the read models but never
 * part of a projection, so a rebuild never drops it). Concurrent creators race on `_id`; the
 * loser reads the winner's key.
 */
export class CollectionLeadKeyStore implements LeadKeyStore {
  private readonly cache = new KeyCache();

  constructor(private readonly keys: Collection<LeadKeyDocument>) {}

  static over(collection: Collection): CollectionLeadKeyStore {
    return new CollectionLeadKeyStore(collection as unknown as Collection<LeadKeyDocument>);
  }

  async keyFor(leadId: string, tenantId: string, create: boolean, proposed?: Buffer): Promise<Buffer | null> {
    const cached = this.cache.get(leadId);
    if (cached) return cached;
    const found = await this.keys.findOne({ _id: leadId });
    if (found) return this.remember(leadId, found.key);
    if (!create) return null;
    if (proposed !== undefined && proposed.length !== LEAD_KEY_BYTES) throw new RangeError(`a lead key is ${LEAD_KEY_BYTES} bytes, not ${proposed.length}`);
    const key = (proposed ?? secureRandomBytes(LEAD_KEY_BYTES)).toString('base64');
    try {
      await this.keys.insertOne({ _id: leadId, tenantId, key, createdAt: new Date().toISOString() });
      return this.remember(leadId, key);
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
      const winner = await this.keys.findOne({ _id: leadId });
      return winner ? this.remember(leadId, winner.key) : null;
    }
  }

  async destroy(leadId: string): Promise<void> {
    this.cache.forget(leadId);
    await this.keys.deleteOne({ _id: leadId });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private remember(leadId: string, base64: string): Buffer {
    const key = Buffer.from(base64, 'base64');
    this.cache.set(leadId, key);
    return key;
  }
}
