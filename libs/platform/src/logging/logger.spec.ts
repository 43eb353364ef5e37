import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, PinoLoggerService, REDACTION_CENSOR } from './logger';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- log lines are arbitrary JSON, checked field by field
type Line = Record<string, any>;

function capture(level = 'trace') {
  const lines: Line[] = [];
  const logger = createLogger({ name: 'spec', level }, { write: (s: string) => void lines.push(JSON.parse(s) as Line) });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with name, textual level and ISO time', () => {
    const { logger, lines } = capture('info');
    logger.info({ tenantId: 't1' }, 'hello');
    logger.debug('not written at info');
    assert.equal(lines.length, 1);
    const [line] = lines;
    assert.equal(line!['name'], 'spec');
    assert.equal(line!['level'], 'info');
    assert.equal(line!['msg'], 'hello');
    assert.equal(line!['tenantId'], 't1');
    assert.match(line!['time'], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts authorization headers, passwords and tokens', () => {
    const { logger, lines } = capture();
    logger.info({
      req: { method: 'POST', url: '/login', headers: { authorization: 'Bearer eyJ.secret', cookie: 'sid=1', accept: 'json' } },
      headers: { authorization: 'Bearer top' },
      body: { email: 'ada@acme.test', password: 'hunter2', nested: { token: 'abc', refreshToken: 'def' } },
      password: 'p',
      accessToken: 'at',
      apiKey: 'k',
    });
    const [line] = lines;
    const text = JSON.stringify(line);
    for (const secret of ['eyJ.secret', 'sid=1', 'Bearer top', 'hunter2', '"abc"', '"def"', '"at"', '"k"', '"p"']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    assert.equal(line!['req'].headers.authorization, REDACTION_CENSOR);
    assert.equal(line!['req'].headers.accept, 'json');
    assert.equal(line!['body'].email, 'ada@acme.test');
    assert.equal(line!['body'].password, REDACTION_CENSOR);
    assert.equal(line!['body'].nested.token, REDACTION_CENSOR);
  });

  it('serialises errors with their stack', () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error('kaput') }, 'failed');
    assert.equal(lines[0]!['err'].message, 'kaput');
    assert.match(lines[0]!['err'].stack, /Error: kaput\n\s+at /);
  });
});

describe('PinoLoggerService', () => {
  it('maps Nest levels and contexts onto pino', () => {
    const { logger, lines } = capture();
    const service = new PinoLoggerService(logger);
    service.log('started', 'Bootstrap');
    service.warn('careful');
    service.debug?.('details', 'Ctx');
    service.verbose?.('chatty', 'Ctx');
    service.fatal?.('dead', 'Ctx');
    assert.deepEqual(
      lines.map((l) => [l['level'], l['msg'], l['context']]),
      [
        ['info', 'started', 'Bootstrap'],
        ['warn', 'careful', undefined],
        ['debug', 'details', 'Ctx'],
        ['trace', 'chatty', 'Ctx'],
        ['fatal', 'dead', 'Ctx'],
      ],
    );
  });

  it('logs error(message, stack, context) with the stack, and Error objects as err', () => {
    const { logger, lines } = capture();
    const service = new PinoLoggerService(logger);
    const error = new Error('boom');
    service.error('request failed', error.stack, 'ExceptionsHandler');
    service.error(error, 'Ctx');
    service.error('no stack', undefined, 'Ctx2');
    assert.equal(lines[0]!['level'], 'error');
    assert.equal(lines[0]!['context'], 'ExceptionsHandler');
    assert.match(lines[0]!['stack'], /Error: boom/);
    assert.equal(lines[1]!['err'].message, 'boom');
    assert.equal(lines[1]!['context'], 'Ctx');
    assert.equal(lines[2]!['msg'], 'no stack');
    assert.equal(lines[2]!['context'], 'Ctx2');
    assert.equal(lines[2]!['params'], undefined);
  });

  it('logs objects as data and honours setLogLevels without changing the given logger', () => {
    const { logger, lines } = capture('info');
    const service = new PinoLoggerService(logger);
    service.log({ routes: 3 }, 'RoutesResolver');
    assert.deepEqual(lines[0]!['data'], { routes: 3 });
    service.setLogLevels(['error', 'warn']);
    service.log('hidden');
    service.warn('shown');
    assert.deepEqual(lines.slice(1).map((l) => l['msg']), ['shown']);
    assert.equal(logger.level, 'info');
  });
});
