import { Inject, Injectable, Optional, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Collection, Document, ReadStore } from '@leadstream/read-store';
import { createHash } from 'node:crypto';
import { catchError, concat, concatMap, defer, from, ignoreElements, isObservable, mergeMap, of, throwError, type Observable } from 'rxjs';
import { Readable } from 'node:stream';
import { principalOf } from '../auth/principal';
import { ProblemException, ValidationProblemException } from '../http/problem-details';
import { requestPathOf } from '../http/problem-details.filter';
import { sha256OfCanonicalJson } from './canonical-json';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_KEY, IDEMPOTENT_REPLAYED_HEADER } from './idempotent.decorator';

/** DI token of the ReadStore that holds idempotency records. */
export const IDEMPOTENCY_STORE: unique symbol = Symbol.for('@leadstream/platform:IDEMPOTENCY_STORE');
/** DI token of IdempotencyOptions (optional). */
export const IDEMPOTENCY_OPTIONS: unique symbol = Symbol.for('@leadstream/platform:IDEMPOTENCY_OPTIONS');
/** ReadStore collection of idempotency records. */
export const IDEMPOTENCY_COLLECTION = 'platform_idempotency_keys';

export const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS = 60 * 1000;

export interface IdempotencyOptions {
  /** How long a completed response is replayed (default 24 h). */
  readonly ttlMs?: number;
  /** After this long an in-flight marker is considered abandoned (crashed process) and taken over (default 60 s). */
  readonly inFlightTimeoutMs?: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

/** One stored key. `body` is the JSON text of the response body (null: empty body). */
export interface IdempotencyRecord extends Document {
  _id: string;
  state: 'in_flight' | 'completed';
  tenantId: string;
  method: string;
  route: string;
  key: string;
  requestHash: string;
  createdAt: string;
  expiresAt: string;
  lockedUntil?: string;
  status?: number;
  body?: string | null;
}

/** Valid key: 1–255 visible ASCII characters (0x21–0x7E). */
const VALID_KEY = /^[\x21-\x7E]{1,255}$/;

/** The validated Idempotency-Key of a header value; undefined when absent; throws a 400 problem when invalid. */
export function parseIdempotencyKey(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const key: unknown = Array.isArray(value) ? (value.length === 1 ? (value as unknown[])[0] : undefined) : value;
  if (typeof key !== 'string' || !VALID_KEY.test(key)) {
    throw new ValidationProblemException(
      [{ field: 'Idempotency-Key', reason: 'Idempotency-Key must be 1 to 255 visible ASCII characters' }],
      'The Idempotency-Key header is invalid.',
    );
  }
  return key;
}

function isDuplicateKeyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'DuplicateKeyError';
}

function isStreamLike(value: unknown): boolean {
  return value instanceof StreamableFile || value instanceof Readable || isObservable(value) || value instanceof ReadableStream;
}

interface HttpRequestLike {
  method: string;
  url: string;
  body?: unknown;
  headers: Record<string, unknown>;
  routeOptions?: { url?: string };
}

interface HttpReplyLike {
  statusCode: number;
  code(status: number): unknown;
  header(name: string, value: string): unknown;
}

/**
 * Makes `@Idempotent()` routes honour `Idempotency-Key` (see the decorator). Scope of a key: tenant
 * (or `public`) + method + route pattern + key. Only 2xx responses are stored; on any failure the
 * in-flight marker is removed so that the client may retry.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly ttlMs: number;
  private readonly inFlightTimeoutMs: number;
  private readonly now: () => number;
  private collectionRef: Collection<IdempotencyRecord> | undefined;

  constructor(
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_STORE) private readonly store: ReadStore,
    @Optional() @Inject(IDEMPOTENCY_OPTIONS) options?: IdempotencyOptions,
  ) {
    this.ttlMs = options?.ttlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
    this.inFlightTimeoutMs = options?.inFlightTimeoutMs ?? DEFAULT_IDEMPOTENCY_IN_FLIGHT_TIMEOUT_MS;
    this.now = options?.now ?? Date.now;
  }

  private get collection(): Collection<IdempotencyRecord> {
    this.collectionRef ??= this.store.collection<IdempotencyRecord>(IDEMPOTENCY_COLLECTION, {
      indexes: [{ keys: { expiresAt: 1 }, name: 'expiresAt' }],
    });
    return this.collectionRef;
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    if (this.reflector.get<boolean | undefined>(IDEMPOTENT_KEY, context.getHandler()) !== true) return next.handle();

    const http = context.switchToHttp();
    const request = http.getRequest<HttpRequestLike>();
    const reply = http.getResponse<HttpReplyLike>();
    const key = parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER]);
    if (key === undefined) return next.handle();

    const tenantId = principalOf(request)?.tenantId ?? 'public';
    const method = request.method.toUpperCase();
    const route = request.routeOptions?.url ?? requestPathOf(request);
    const id = createHash('sha256').update(JSON.stringify([tenantId, method, route, key])).digest('hex');
    const requestHash = sha256OfCanonicalJson(request.body ?? null);

    const existing = await this.findLive(id);
    if (existing) return this.answerExisting(existing, requestHash, reply);

    const now = this.now();
    const marker: IdempotencyRecord = {
      _id: id,
      state: 'in_flight',
      tenantId,
      method,
      route,
      key,
      requestHash,
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + this.ttlMs).toISOString(),
      lockedUntil: new Date(now + this.inFlightTimeoutMs).toISOString(),
    };
    try {
      await this.collection.insertOne(marker);
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      // another request with this key got there first
      const winner = await this.findLive(id);
      if (winner) return this.answerExisting(winner, requestHash, reply);
      throw this.inProgress();
    }

    const release = async (): Promise<void> => {
      await this.collection.deleteOne({ _id: id, state: 'in_flight', createdAt: marker.createdAt });
    };
    let emitted = false;
    return next.handle().pipe(
      concatMap(async (value: unknown) => {
        emitted = true;
        const status = reply.statusCode;
        if (status >= 200 && status < 300 && !isStreamLike(value)) {
          const completed: IdempotencyRecord = {
            _id: id,
            state: 'completed',
            tenantId,
            method,
            route,
            key,
            requestHash,
            createdAt: marker.createdAt,
            expiresAt: marker.expiresAt,
            status,
            body: value === undefined ? null : (JSON.stringify(value) ?? null),
          };
          // only our own marker: one taken over after the in-flight timeout belongs to another request
          await this.collection.replaceOne({ _id: id, state: 'in_flight', createdAt: marker.createdAt }, completed);
        } else {
          await release();
        }
        return value;
      }),
      catchError((error: unknown) =>
        from(release().catch(() => undefined)).pipe(mergeMap(() => throwError(() => error))),
      ),
      (source) =>
        concat(
          source,
          defer(async () => {
            if (!emitted) await release();
          }).pipe(ignoreElements()),
        ),
    );
  }

  /** Removes every expired record (records are also checked on each read). */
  async purgeExpired(): Promise<number> {
    const { deletedCount } = await this.collection.deleteMany({ expiresAt: { $lt: new Date(this.now()).toISOString() } });
    return deletedCount;
  }

  private async findLive(id: string): Promise<IdempotencyRecord | null> {
    const record = await this.collection.findOne({ _id: id });
    if (!record) return null;
    const now = this.now();
    const expired =
      Date.parse(record.expiresAt) <= now ||
      (record.state === 'in_flight' && record.lockedUntil !== undefined && Date.parse(record.lockedUntil) <= now);
    if (!expired) return record;
    await this.collection.deleteOne({ _id: id, createdAt: record.createdAt });
    return null;
  }

  private answerExisting(record: IdempotencyRecord, requestHash: string, reply: HttpReplyLike): Observable<unknown> {
    if (record.requestHash !== requestHash) {
      throw new ProblemException({
        status: 422,
        code: 'idempotency-key-reused',
        detail: 'This Idempotency-Key was already used with a different request body.',
        errors: [{ field: 'Idempotency-Key', reason: 'was already used with a different request body' }],
      });
    }
    if (record.state !== 'completed' || record.status === undefined) throw this.inProgress();
    reply.code(record.status);
    reply.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
    const body = record.body === null || record.body === undefined ? undefined : (JSON.parse(record.body) as unknown);
    return of(body);
  }

  private inProgress(): ProblemException {
    return new ProblemException(
      {
        status: 409,
        code: 'idempotency-request-in-progress',
        detail: 'A request with this Idempotency-Key is still being processed; retry later.',
      },
      { headers: { 'Retry-After': '1' } },
    );
  }
}
