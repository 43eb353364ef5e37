import { Catch, Inject, Logger, Optional, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger as PinoLogger } from 'pino';
import { mapExceptionToProblem } from './exception-mapping';
import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './problem-details';
import { correlationIdOf, REQUEST_ID_HEADER } from './request-context';

interface ReplyLike {
  raw?: unknown;
  sent?: boolean;
  code(status: number): ReplyLike;
  header(name: string, value: string): ReplyLike;
  send(payload: Buffer): unknown;
}

interface RawResponseLike {
  headersSent?: boolean;
  writableEnded?: boolean;
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(payload: string): unknown;
}

/** The request path (no query string: it may hold secrets and is not part of the problem's identity). */
export function requestPathOf(request: unknown): string {
  const url = (request as { url?: unknown; originalUrl?: unknown } | undefined)?.url;
  if (typeof url !== 'string') return '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

/**
 * Writes a problem to a Fastify reply or a raw Node response, as `application/problem+json`.
 * Does nothing when the response has already been sent.
 */
export function sendProblem(response: unknown, problem: ProblemDetails, headers: Readonly<Record<string, string>> = {}): void {
  const payload = JSON.stringify(problem);
  const reply = response as ReplyLike;
  if (typeof reply.code === 'function' && typeof reply.header === 'function' && reply.raw !== undefined) {
    if (reply.sent) return;
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
    // a Buffer, so that Fastify sends the media type as it is (a string would get "; charset=utf-8")
    reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(Buffer.from(payload, 'utf8'));
    return;
  }
  const raw = response as RawResponseLike;
  if (raw.headersSent || raw.writableEnded) return;
  raw.statusCode = problem.status;
  for (const [name, value] of Object.entries(headers)) raw.setHeader(name, value);
  raw.setHeader('content-type', PROBLEM_CONTENT_TYPE);
  raw.end(payload);
}

/**
 * Global exception filter: answers every error of an HTTP request with RFC 9457 problem details
 * (see `mapExceptionToProblem` for the mapping). Server faults (5xx) are logged with their stack and
 * answered with a generic detail; stacks never reach the client.
 */
/** Optional DI token of the pino logger ProblemDetailsFilter logs with (when it is built by DI, e.g. as APP_FILTER). */
export const PLATFORM_LOGGER: unique symbol = Symbol.for('@leadstream/platform:PLATFORM_LOGGER');

@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly fallbackLogger = new Logger('ProblemDetailsFilter');

  constructor(@Optional() @Inject(PLATFORM_LOGGER) private readonly logger?: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<unknown>();
    const response = http.getResponse<unknown>();
    const mapped = mapExceptionToProblem(exception, requestPathOf(request));
    const requestId = request ? correlationIdOf(request) : undefined;

    if (mapped.serverFault) {
      const method = (request as { method?: string } | undefined)?.method;
      const context = { err: exception, requestId, method, path: mapped.problem.instance, status: mapped.problem.status };
      if (this.logger) this.logger.error(context, 'request failed with a server error');
      else this.fallbackLogger.error(
        `${method ?? ''} ${mapped.problem.instance} failed (requestId ${requestId ?? '-'})`,
        exception instanceof Error ? exception.stack : String(exception),
      );
    } else if (this.logger?.isLevelEnabled('debug')) {
      this.logger.debug({ requestId, status: mapped.problem.status, code: mapped.problem.code, path: mapped.problem.instance }, 'request rejected');
    }

    const headers: Record<string, string> = { ...mapped.headers };
    if (requestId) headers[REQUEST_ID_HEADER] = requestId;
    sendProblem(response, mapped.problem, headers);
  }
}
