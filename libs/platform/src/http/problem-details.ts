import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';

/** Media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** One field-level failure: `field` is a dotted path (`admin.password`, `tags.0`) or a header/parameter name. */
export interface ProblemFieldError {
  readonly field: string;
  readonly reason: string;
}

/**
 * RFC 9457 problem details, as every Leadstream HTTP error is answered.
 * `type` is `about:blank` unless a `code` is set, in which case it is `urn:leadstream:problem:<code>`;
 * `title` is always the HTTP status phrase.
 */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance: string;
  /** Stable machine-readable code, e.g. `leads.contact-required` or `validation-failed`. */
  readonly code?: string;
  readonly errors?: readonly ProblemFieldError[];
}

export interface ProblemInit {
  readonly status: number;
  readonly detail?: string;
  readonly instance?: string;
  readonly code?: string;
  readonly errors?: readonly ProblemFieldError[];
  readonly title?: string;
  readonly type?: string;
}

/** The status phrase of an HTTP status code (`404` → `Not Found`). */
export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? (status >= 500 ? 'Internal Server Error' : 'Error');
}

/** The `type` URI used for a problem code. */
export function problemTypeFor(code: string | undefined): string {
  return code ? `urn:leadstream:problem:${code}` : 'about:blank';
}

/** Builds a problem details body (fields in a stable order; `code`/`errors` only when given). */
export function problemDetails(init: ProblemInit): ProblemDetails {
  const title = init.title ?? statusTitle(init.status);
  const body: { -readonly [K in keyof ProblemDetails]: ProblemDetails[K] } = {
    type: init.type ?? problemTypeFor(init.code),
    title,
    status: init.status,
    detail: init.detail ?? title,
    instance: init.instance ?? '',
  };
  if (init.code !== undefined) body.code = init.code;
  if (init.errors !== undefined && init.errors.length > 0) body.errors = init.errors.map((e) => ({ field: e.field, reason: e.reason }));
  return body;
}

/**
 * An HttpException that carries a complete problem (and optional response headers). Throw it from
 * anywhere in the HTTP layer; the ProblemDetailsFilter answers it as it is, filling in `instance`.
 */
export class ProblemException extends HttpException {
  readonly problem: Omit<ProblemInit, 'instance'> & { readonly instance?: string };
  readonly headers: Readonly<Record<string, string>>;

  constructor(init: ProblemInit, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    const problem = problemDetails(init);
    super(problem, init.status, options.cause === undefined ? undefined : { cause: options.cause });
    this.problem = init;
    this.headers = options.headers ?? {};
    this.message = problem.detail;
  }
}

/** 400 with a list of field errors (the shape the validation pipe produces). */
export class ValidationProblemException extends ProblemException {
  constructor(readonly fieldErrors: readonly ProblemFieldError[], detail?: string) {
    super({
      status: 400,
      code: 'validation-failed',
      detail: detail ?? describeFieldErrors(fieldErrors),
      errors: fieldErrors,
    });
  }
}

function describeFieldErrors(errors: readonly ProblemFieldError[]): string {
  if (errors.length === 0) return 'The request is invalid.';
  const fields = [...new Set(errors.map((e) => e.field))];
  return `The request is invalid: ${fields.length === 1 ? 'field' : 'fields'} ${fields.join(', ')}.`;
}
