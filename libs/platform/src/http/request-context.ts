import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Where the correlation id is kept on a request (Fastify request and raw IncomingMessage alike). */
export const CORRELATION_ID = Symbol.for('@leadstream/platform:correlationId');

/** Incoming ids are honoured only when they are short and made of safe characters. */
const SAFE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

function headerValue(headers: IncomingHttpHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && SAFE_ID.test(first) ? first : undefined;
}

/**
 * The correlation id for a set of incoming headers: `X-Request-Id`, else `X-Correlation-Id`
 * (each only if 1–128 safe characters), else a new UUID.
 */
export function correlationIdFromHeaders(headers: IncomingHttpHeaders | undefined): string {
  return headerValue(headers, REQUEST_ID_HEADER) ?? headerValue(headers, CORRELATION_ID_HEADER) ?? randomUUID();
}

type RequestLike = { headers?: IncomingHttpHeaders; id?: unknown; raw?: unknown; [CORRELATION_ID]?: string };

/**
 * The correlation id of a request (a Fastify request or a raw Node request). Assigned once per request
 * by the adapter from `createFastifyAdapter()` (or by the hook `configureHttpApp()` adds), and echoed
 * back as `X-Request-Id`. For a request that no hook saw, it is computed and remembered on first call.
 */
export function correlationIdOf(request: unknown): string {
  const req = request as RequestLike;
  const own = req[CORRELATION_ID];
  if (typeof own === 'string') return own;
  const raw = req.raw as RequestLike | undefined;
  if (raw && typeof raw[CORRELATION_ID] === 'string') return raw[CORRELATION_ID];
  const id = correlationIdFromHeaders(req.headers ?? (raw as IncomingMessage | undefined)?.headers);
  try {
    req[CORRELATION_ID] = id;
  } catch {
    /* frozen request objects simply do not remember it */
  }
  return id;
}

/** Small facade over the helpers above, for code that prefers a namespace. */
export const RequestContext = {
  correlationIdOf,
  correlationIdFromHeaders,
  REQUEST_ID_HEADER,
  CORRELATION_ID_HEADER,
} as const;
