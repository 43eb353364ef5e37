/**
 * Where each lead's data key lives: outside the event log, so that destroying it makes the lead's
 * sealed personal data unreadable everywhere the events went (crypto-shredding).
 */
export interface LeadKeyStore {
  /**
   * The lead's key, creating (and durably storing) one when it has none yet and `create` is set:
   * `proposed` when given (a key drawn elsewhere, e.g. by the import's worker thread, which sealed
   * with it), else a new random one. A lead that already has a key keeps it, whatever is proposed.
   */
  keyFor(leadId: string, tenantId: string, create: boolean, proposed?: Buffer): Promise<Buffer | null>;
  /** Destroys the lead's key for good; idempotent. */
  destroy(leadId: string): Promise<void>;
  close(): Promise<void>;
}

export const LEAD_KEY_BYTES = 32;

/**
 * Keys in memory (keys are read for every sealed event a projection handles): about the
 * `capacity` most recently used, in two generations; when the younger fills up, the older is
 * dropped whole and its keys are zeroed. A key used from the older generation moves to the
 * younger. Constant time per call.
 */
export class KeyCache {
  private young = new Map<string, Buffer>();
  private old = new Map<string, Buffer>();
  private readonly half: number;

  constructor(capacity = 50_000) {
    this.half = Math.max(1, Math.ceil(capacity / 2));
  }

  get(leadId: string): Buffer | undefined {
    const key = this.young.get(leadId);
    if (key !== undefined) return key;
    const older = this.old.get(leadId);
    if (older !== undefined) {
      this.old.delete(leadId);
      this.set(leadId, older);
    }
    return older;
  }

  set(leadId: string, key: Buffer): void {
    // a Buffer replaced here is not zeroed: two readers that missed the cache at once each got
    // their own copy of the key, and the first may still be opening events with it
    this.old.delete(leadId);
    this.young.set(leadId, key);
    if (this.young.size >= this.half) {
      for (const dropped of this.old.values()) dropped.fill(0);
      this.old = this.young;
      this.young = new Map();
    }
  }

  forget(leadId: string): void {
    for (const generation of [this.young, this.old]) {
      generation.get(leadId)?.fill(0);
      generation.delete(leadId);
    }
  }
}
