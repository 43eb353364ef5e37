import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestException, ForbiddenException, HttpException, InternalServerErrorException } from '@nestjs/common';
import { ConcurrencyRetriesExhaustedError, DomainError } from '@leadstream/event-sourcing';
import { DuplicateKeyError } from '@leadstream/read-store';
import { GENERIC_SERVER_ERROR_DETAIL, mapExceptionToProblem } from './exception-mapping';
import { problemDetails, ProblemException, ValidationProblemException } from './problem-details';

describe('problemDetails', () => {
  it('fills type/title from the status and omits empty optional members', () => {
    assert.deepEqual(problemDetails({ status: 404, instance: '/x' }), {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'Not Found',
      instance: '/x',
    });
    assert.deepEqual(problemDetails({ status: 400, code: 'c', detail: 'd', errors: [], instance: '/y' }), {
      type: 'urn:leadstream:problem:c',
      title: 'Bad Request',
      status: 400,
      detail: 'd',
      instance: '/y',
      code: 'c',
    });
  });
});

describe('mapExceptionToProblem', () => {
  it('maps DomainError by kind with code and fields', () => {
    const m = mapExceptionToProblem(new DomainError('unprocessable', 'leads.contact-required', 'a contact is required', { email: 'is required' }), '/leads');
    assert.deepEqual(m.problem, {
      type: 'urn:leadstream:problem:leads.contact-required',
      title: 'Unprocessable Entity',
      status: 422,
      detail: 'a contact is required',
      instance: '/leads',
      code: 'leads.contact-required',
      errors: [{ field: 'email', reason: 'is required' }],
    });
    assert.equal(m.serverFault, false);
    const unauthorized = mapExceptionToProblem(new DomainError('unauthorized', 'identity.bad-credentials', 'bad credentials'), '/login');
    assert.equal(unauthorized.problem.status, 401);
    assert.equal(unauthorized.headers['WWW-Authenticate'], 'Bearer');
    assert.equal(unauthorized.problem.errors, undefined);
  });

  it('maps store and concurrency conflicts to 409', () => {
    assert.equal(mapExceptionToProblem(new DuplicateKeyError('c', { a: 1 }), '/').problem.status, 409);
    assert.equal(mapExceptionToProblem(new ConcurrencyRetriesExhaustedError('s', 3), '/').problem.status, 409);
  });

  it('keeps HttpException statuses and messages', () => {
    assert.deepEqual(
      [mapExceptionToProblem(new ForbiddenException('nope'), '/').problem.status, mapExceptionToProblem(new ForbiddenException('nope'), '/').problem.detail],
      [403, 'nope'],
    );
    const bad = mapExceptionToProblem(new BadRequestException(['a is bad', 'b is bad']), '/');
    assert.equal(bad.problem.detail, 'a is bad; b is bad');
    const custom = mapExceptionToProblem(new HttpException('gone', 410), '/');
    assert.equal(custom.problem.status, 410);
    assert.equal(custom.problem.title, 'Gone');
    const internal = mapExceptionToProblem(new InternalServerErrorException(), '/');
    assert.equal(internal.problem.status, 500);
    assert.equal(internal.serverFault, true);
  });

  it('answers problem exceptions as they are', () => {
    const v = mapExceptionToProblem(new ValidationProblemException([{ field: 'a.b', reason: 'bad' }]), '/v');
    assert.equal(v.problem.status, 400);
    assert.equal(v.problem.code, 'validation-failed');
    assert.deepEqual(v.problem.errors, [{ field: 'a.b', reason: 'bad' }]);
    const withHeaders = mapExceptionToProblem(new ProblemException({ status: 429, detail: 'slow down' }, { headers: { 'Retry-After': '3' } }), '/r');
    assert.deepEqual(withHeaders.headers, { 'Retry-After': '3' });
    assert.equal(withHeaders.problem.instance, '/r');
  });

  it('keeps 4xx statusCode of foreign errors and hides everything else behind a 500', () => {
    const fst = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, name: 'FastifyError', code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    assert.equal(mapExceptionToProblem(fst, '/').problem.status, 415);
    const invalidJson = Object.assign(new Error('Body is not valid JSON'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    assert.equal(mapExceptionToProblem(invalidJson, '/').problem.code, 'malformed-json');
    const fiveHundred = Object.assign(new Error('upstream said 503 at db.internal'), { statusCode: 503 });
    const m = mapExceptionToProblem(fiveHundred, '/');
    assert.equal(m.problem.status, 500);
    assert.equal(m.problem.detail, GENERIC_SERVER_ERROR_DETAIL);
    assert.equal(m.serverFault, true);
    for (const thrown of [new TypeError('x is undefined'), 'a string', null, undefined, { weird: true }]) {
      const r = mapExceptionToProblem(thrown, '/');
      assert.equal(r.problem.status, 500);
      assert.equal(r.problem.detail, GENERIC_SERVER_ERROR_DETAIL);
    }
  });
});
