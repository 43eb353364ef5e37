/** KurrentDB's default `MaxAppendSize`: 1 MiB per append request. */
export const DEFAULT_MAX_APPEND_SIZE = 1024 * 1024;

/** One event alone is larger than what the server accepts in an append: nothing was written. */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';
  constructor(
    /** Index of the event in the append. */
    readonly index: number,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`event ${index} of the append is ${size} bytes, more than the ${limit} bytes KurrentDB accepts in one append; nothing was written`);
  }
}

/**
 * Splits the events of one append into consecutive chunks whose total size is at most `limit`
 * (the server refuses an append whose size is greater than its `MaxAppendSize`). Order is kept;
 * a chunk holds at least one event. Throws `EventTooLargeError` — before anything is written —
 * when a single event exceeds the limit.
 */
export function chunkBySize<T extends { readonly size: number }>(events: readonly T[], limit: number): T[][] {
  if (!Number.isFinite(limit) || limit <= 0) throw new RangeError(`append size limit must be a positive number, got ${limit}`);
  const chunks: T[][] = [];
  let current: T[] = [];
  let total = 0;
  events.forEach((event, index) => {
    if (event.size > limit) throw new EventTooLargeError(index, event.size, limit);
    if (current.length > 0 && total + event.size > limit) {
      chunks.push(current);
      current = [];
      total = 0;
    }
    current.push(event);
    total += event.size;
  });
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * A large append was split into several KurrentDB appends and one of them, after the first, failed:
 * the first `written` events are in the stream, the rest are not. Not a revision conflict (a
 * retry that decides again would append on top of the prefix): the caller must look at the
 * stream before doing anything else.
 */
export class PartialAppendError extends Error {
  override readonly name = 'PartialAppendError';
  constructor(
    readonly streamId: string,
    /** Events of the append that were written (a prefix). */
    readonly written: number,
    readonly total: number,
    /** Revision of the last event written. */
    readonly lastRevision: number,
    options: { cause: unknown },
  ) {
    super(`stream ${streamId}: only ${written} of ${total} events were appended (up to revision ${lastRevision}); the append was split by size and a later part failed`, options);
  }
}
