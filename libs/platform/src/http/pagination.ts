import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { Collection, Document, Filter } from '@leadstream/read-store';
import { ValidationProblemException } from './problem-details';

/** A page of a list endpoint. `nextCursor` is null on the last page. */
export interface ListResponse<T> {
  items: T[];
  total: number;
  nextCursor: string | null;
}

/** Opaque cursor: base64url of the JSON of `value`. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Decodes a cursor made by encodeCursor. Anything else (not base64url, not JSON, not an object) is
 * a 400 problem naming `cursor`.
 */
export function decodeCursor<T extends object = Record<string, unknown>>(cursor: string): T {
  const invalid = () =>
    new ValidationProblemException([{ field: 'cursor', reason: 'cursor is not a valid pagination cursor' }], 'The pagination cursor is invalid.');
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 4096 || !BASE64URL.test(cursor)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (value === null || typeof value !== 'object') throw invalid();
  return value as T;
}

/**
 * Query DTO for cursor-paginated lists (`?limit=50&cursor=…`). Note `@Type(() => Number)`: query
 * values are strings, and the validation pipe converts only what a DTO asks to be converted.
 */
export class CursorPageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  cursor?: string;
}

/** Documents a keyset page can be cut from: ordered by (createdAt, _id). */
export interface KeysetDocument extends Document {
  createdAt: string;
}

export interface KeysetPageOptions {
  /** The list's filter (tenant first); `total` counts it. */
  readonly filter: Filter;
  readonly limit: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** 1: oldest first, -1: newest first. */
  readonly direction: 1 | -1;
}

export interface KeysetPage<T> {
  readonly docs: T[];
  readonly total: number;
  readonly nextCursor: string | null;
}

/**
 * One page of a list ordered by (createdAt, _id), cut by keyset rather than offset, so pages stay
 * stable while documents arrive. A cursor that is not one of ours is a 400 naming `cursor`.
 */
export async function findKeysetPage<T extends KeysetDocument>(collection: Collection<T>, options: KeysetPageOptions): Promise<KeysetPage<T>> {
  let page = options.filter;
  if (options.cursor !== undefined) {
    const cursor = decodeCursor<{ c?: unknown; i?: unknown }>(options.cursor);
    if (typeof cursor.c !== 'string' || typeof cursor.i !== 'string') {
      throw new ValidationProblemException([{ field: 'cursor', reason: 'is not a cursor returned by this list' }], 'The pagination cursor is invalid.');
    }
    const beyond = options.direction === 1 ? '$gt' : '$lt';
    page = { $and: [options.filter, { $or: [{ createdAt: { [beyond]: cursor.c } }, { createdAt: cursor.c, _id: { [beyond]: cursor.i } }] }] };
  }
  const [found, total] = await Promise.all([
    collection.find(page, { sort: { createdAt: options.direction, _id: options.direction }, limit: options.limit + 1 }),
    collection.count(options.filter),
  ]);
  const hasMore = found.length > options.limit;
  const docs = hasMore ? found.slice(0, options.limit) : found;
  const last = docs[docs.length - 1];
  return { docs, total, nextCursor: hasMore && last ? encodeCursor({ c: last.createdAt, i: last._id }) : null };
}
