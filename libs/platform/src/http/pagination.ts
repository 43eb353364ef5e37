import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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
