import { HttpException } from '@nestjs/common';
import { ConcurrencyRetriesExhaustedError, DomainError, type DomainErrorKind } from '@leadstream/event-sourcing';
import { DuplicateKeyError } from '@leadstream/read-store';
import { ProblemException, problemDetails, type ProblemDetails, type ProblemFieldError } from './problem-details';

/** HTTP status for each DomainError kind. */
export const DOMAIN_ERROR_STATUS: Readonly<Record<DomainErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
};

export const GENERIC_SERVER_ERROR_DETAIL = 'An unexpected error occurred.';

export interface MappedProblem {
  readonly problem: ProblemDetails;
  readonly headers: Readonly<Record<string, string>>;
  /** True when this is a server fault (status >= 500) that must be logged with its stack. */
  readonly serverFault: boolean;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isDomainError(e: unknown): e is DomainError {
  if (e instanceof DomainError) return true;
  // a second copy of the library (or a subclass that renamed itself) still maps by shape
  return (
    e instanceof Error &&
    isObject(e) &&
    typeof e['kind'] === 'string' &&
    typeof e['code'] === 'string' &&
    Object.prototype.hasOwnProperty.call(DOMAIN_ERROR_STATUS, e['kind']) &&
    (e.name === 'DomainError' || e instanceof DomainError)
  );
}

/** A numeric 4xx `statusCode`/`status` on a non-HttpException error (Fastify, http-errors, …). */
function clientStatusOf(e: unknown): number | undefined {
  if (!isObject(e)) return undefined;
  const candidate = typeof e['statusCode'] === 'number' ? e['statusCode'] : e['status'];
  if (typeof candidate === 'number' && Number.isInteger(candidate) && candidate >= 400 && candidate <= 499) return candidate;
  return undefined;
}

/** Fastify's (and body-parser style) errors for a JSON body that does not parse. */
function jsonBodyErrorOf(e: unknown): 'malformed' | 'empty' | undefined {
  if (!isObject(e)) return undefined;
  if (e['code'] === 'FST_ERR_CTP_INVALID_JSON_BODY') return 'malformed';
  if (e['code'] === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'empty';
  if (e instanceof SyntaxError && clientStatusOf(e) === 400) return 'malformed';
  return undefined;
}

function messageOf(e: unknown): string | undefined {
  return e instanceof Error && typeof e.message === 'string' && e.message.length > 0 ? e.message : undefined;
}

function looksLikeProblem(body: unknown): body is ProblemDetails {
  return isObject(body) && typeof body['type'] === 'string' && typeof body['title'] === 'string' && typeof body['status'] === 'number';
}

function detailFromHttpExceptionResponse(response: unknown, fallback: string): string {
  if (typeof response === 'string' && response.length > 0) return response;
  if (isObject(response)) {
    const message = response['message'] ?? response['detail'];
    if (typeof message === 'string' && message.length > 0) return message;
    if (Array.isArray(message) && message.length > 0) return message.map(String).join('; ');
  }
  return fallback;
}

function fieldsToErrors(fields: Readonly<Record<string, string>> | undefined): ProblemFieldError[] {
  if (!fields) return [];
  return Object.entries(fields).map(([field, reason]) => ({ field, reason: String(reason) }));
}

/**
 * Maps anything thrown in the HTTP layer to a problem. Pure: no logging, no I/O.
 * `instance` is the request path (without query string).
 */
export function mapExceptionToProblem(exception: unknown, instance: string): MappedProblem {
  const ok = (problem: ProblemDetails, headers: Record<string, string> = {}): MappedProblem => {
    const h = { ...headers };
    if (problem.status === 401 && !Object.keys(h).some((k) => k.toLowerCase() === 'www-authenticate')) {
      h['WWW-Authenticate'] = 'Bearer';
    }
    return { problem, headers: h, serverFault: problem.status >= 500 };
  };

  if (exception instanceof ProblemException) {
    return ok(problemDetails({ ...exception.problem, instance: exception.problem.instance ?? instance }), { ...exception.headers });
  }

  if (isDomainError(exception)) {
    return ok(
      problemDetails({
        status: DOMAIN_ERROR_STATUS[exception.kind],
        code: exception.code,
        detail: exception.message,
        errors: fieldsToErrors(exception.fields),
        instance,
      }),
    );
  }

  if (exception instanceof DuplicateKeyError || (exception instanceof Error && exception.name === 'DuplicateKeyError')) {
    return ok(problemDetails({ status: 409, code: 'duplicate-key', detail: 'A resource with the same unique key already exists.', instance }));
  }

  if (
    exception instanceof ConcurrencyRetriesExhaustedError ||
    (exception instanceof Error && exception.name === 'ConcurrencyRetriesExhaustedError')
  ) {
    return ok(
      problemDetails({
        status: 409,
        code: 'concurrency-conflict',
        detail: 'The resource was modified concurrently; retry the request.',
        instance,
      }),
    );
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const cause = (exception as { cause?: unknown }).cause;
    const jsonError = jsonBodyErrorOf(cause);
    if (jsonError) return ok(malformedJson(instance, jsonError));
    const response = exception.getResponse();
    if (status === 413 && !looksLikeProblem(response)) return ok(bodyTooLarge(instance, messageOf(exception)));
    if (looksLikeProblem(response)) {
      return ok(
        problemDetails({
          status,
          detail: response.detail,
          code: response.code,
          errors: response.errors,
          type: response.type,
          title: response.title,
          instance: response.instance || instance,
        }),
      );
    }
    const detail = detailFromHttpExceptionResponse(response, messageOf(exception) ?? '');
    return ok(problemDetails({ status, detail: detail || undefined, instance }));
  }

  const jsonError = jsonBodyErrorOf(exception);
  if (jsonError) return ok(malformedJson(instance, jsonError));

  const clientStatus = clientStatusOf(exception);
  if (clientStatus === 413) return ok(bodyTooLarge(instance, messageOf(exception)));
  if (clientStatus !== undefined) {
    return ok(problemDetails({ status: clientStatus, detail: messageOf(exception), instance }));
  }

  return ok(problemDetails({ status: 500, detail: GENERIC_SERVER_ERROR_DETAIL, instance }));
}

/** A body over the route's limit (Fastify's, or a route's own): names `body`. */
function bodyTooLarge(instance: string, detail: string | undefined): ProblemDetails {
  return problemDetails({ status: 413, code: 'body-too-large', detail: detail ?? 'The request body is too large.', errors: [{ field: 'body', reason: 'is larger than this route accepts' }], instance });
}

function malformedJson(instance: string, kind: 'malformed' | 'empty'): ProblemDetails {
  const detail = kind === 'empty' ? 'The request body is empty but its content type is application/json.' : 'The request body is not valid JSON.';
  return problemDetails({ status: 400, code: 'malformed-json', detail, instance });
}
