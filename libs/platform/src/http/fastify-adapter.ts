import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { CORRELATION_ID, correlationIdFromHeaders, REQUEST_ID_HEADER } from './request-context';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface CreateFastifyAdapterOptions {
  /** Largest accepted request body in bytes (default 1 MiB); larger bodies get a 413 problem. */
  readonly bodyLimit?: number;
}

/** Marker: the request-id hook is installed on this Fastify instance. */
const REQUEST_ID_HOOK = Symbol.for('@leadstream/platform:requestIdHook');

/**
 * Installs the hook that gives each request its correlation id (`X-Request-Id`, else
 * `X-Correlation-Id`, else a new UUID) and echoes it as `X-Request-Id`. Idempotent per instance.
 * Must run before the app is initialised (configureHttpApp calls it).
 */
export function installRequestIdHook(instance: FastifyInstance): void {
  const marked = instance as unknown as Record<symbol, boolean>;
  if (marked[REQUEST_ID_HOOK]) return;
  marked[REQUEST_ID_HOOK] = true;
  instance.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const raw = request.raw as IncomingMessage & { [CORRELATION_ID]?: string };
    const id = raw[CORRELATION_ID] ?? correlationIdFromHeaders(request.headers);
    raw[CORRELATION_ID] = id;
    (request as unknown as Record<symbol, string>)[CORRELATION_ID] = id;
    reply.header(REQUEST_ID_HEADER, id);
    done();
  });
}

/**
 * The Fastify adapter every service uses: body limit (default 1 MiB → 413 beyond), `trustProxy`
 * off, Fastify's own logger off (Nest logs through pino), request ids from `X-Request-Id` /
 * `X-Correlation-Id` (see RequestContext). Only JSON (and urlencoded forms, Nest's default) bodies
 * are accepted: any other content type is a 415. Malformed JSON is a 400: Fastify's parse error
 * goes to Nest's error handler and from there to ProblemDetailsFilter.
 */
export function createFastifyAdapter(options: CreateFastifyAdapterOptions = {}): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy: false,
    logger: false,
    requestIdHeader: false,
    genReqId: (raw: IncomingMessage) => {
      const req = raw as IncomingMessage & { [CORRELATION_ID]?: string };
      const id = req[CORRELATION_ID] ?? correlationIdFromHeaders(raw.headers);
      req[CORRELATION_ID] = id;
      return id;
    },
  });
  const instance = adapter.getInstance<FastifyInstance>();
  // Fastify parses text/plain by default; an API of JSON bodies answers it with 415 instead.
  if (instance.hasContentTypeParser('text/plain')) instance.removeContentTypeParser('text/plain');
  installRequestIdHook(instance);
  return adapter;
}
