/**
 * Where each lead's data key lives: outside the event log, so that destroying it makes the lead's
 * sealed personal data unreadable everywhere the events went (crypto-shredding).
 */
export interface LeadKeyStore {
  /** The lead's key, creating (and durably storing) one when it has none yet and `create` is set. */
  keyFor(leadId: string, tenantId: string, create: boolean): Promise<Buffer | null>;
  /** Destroys the lead's key for good; idempotent. */
  destroy(leadId: string): Promise<void>;
  close(): Promise<void>;
}

export const LEAD_KEY_BYTES = 32;

/** A small LRU of keys in memory (keys are read for every sealed event a projection handles). */
export class KeyCache {
  private readonly entries = new Map<string, Buffer>();
  constructor(private readonly capacity = 50_000) {}

  get(leadId: string): Buffer | undefined {
    const key = this.entries.get(leadId);
    if (key !== undefined) {
      this.entries.delete(leadId);
      this.entries.set(leadId, key);
    }
    return key;
  }

  set(leadId: string, key: Buffer): void {
    this.entries.delete(leadId);
    this.entries.set(leadId, key);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
  }

  forget(leadId: string): void {
    const key = this.entries.get(leadId);
    key?.fill(0);
    this.entries.delete(leadId);
  }
}
