import type { LoggerService, LogLevel } from '@nestjs/common';
import pino from 'pino';

/**
 * Paths redacted from every log line: authorization/cookie headers (wherever a request object is
 * logged), passwords, tokens, secrets and API keys (at the top level and up to two levels down).
 */
export const REDACTED_PATHS: readonly string[] = (() => {
  const headerPaths = ['headers.authorization', 'headers.cookie', 'headers["x-api-key"]'];
  const headerPrefixes = ['', 'req.', 'request.', 'res.', 'response.', 'raw.'];
  const secretKeys = [
    'authorization',
    'password',
    'newPassword',
    'currentPassword',
    'passwordConfirmation',
    'token',
    'accessToken',
    'refreshToken',
    'idToken',
    'access_token',
    'refresh_token',
    'id_token',
    'secret',
    'clientSecret',
    'client_secret',
    'apiKey',
    'api_key',
  ];
  const paths = new Set<string>();
  for (const prefix of headerPrefixes) for (const h of headerPaths) paths.add(prefix + h);
  for (const key of secretKeys) {
    paths.add(key);
    paths.add(`*.${key}`);
    paths.add(`*.*.${key}`);
  }
  return [...paths];
})();

export const REDACTION_CENSOR = '[REDACTED]';

export interface CreateLoggerOptions {
  /** Service or component name, written as `name` on every line. */
  readonly name: string;
  /** pino level (`fatal`…`trace`, or `silent`); default `LOG_LEVEL` or `info`. */
  readonly level?: string;
}

/**
 * A pino logger writing JSON lines to stdout (or to `destination`, for tests), with ISO timestamps,
 * textual levels and secrets redacted (see REDACTED_PATHS).
 */
export function createLogger(options: CreateLoggerOptions, destination?: pino.DestinationStream): pino.Logger {
  const pinoOptions: pino.LoggerOptions = {
    name: options.name,
    level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
    redact: { paths: [...REDACTED_PATHS], censor: REDACTION_CENSOR },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
  };
  return destination ? pino(pinoOptions, destination) : pino(pinoOptions);
}

const NEST_TO_PINO: Readonly<Record<LogLevel, pino.Level>> = {
  verbose: 'trace',
  debug: 'debug',
  log: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'fatal',
};
const PINO_ORDER: readonly pino.Level[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];

const STACK_LINE = /\n\s+at /;

/**
 * Nest's LoggerService on top of a pino logger (`app.useLogger(new PinoLoggerService(logger))`).
 * Follows Nest's calling convention: the last string argument is the context; for `error`, a string
 * before it that looks like a stack trace is logged as the error's stack.
 */
export class PinoLoggerService implements LoggerService {
  private readonly logger: pino.Logger;

  constructor(logger: pino.Logger) {
    // a child, so that setLogLevels() does not change the level of the logger we were given
    this.logger = logger.child({});
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }
  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams, true);
  }
  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }
  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }
  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('trace', message, optionalParams);
  }
  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams, true);
  }

  /** Enables the lowest of the given Nest levels (pino levels are thresholds, not sets). */
  setLogLevels(levels: LogLevel[]): void {
    const mapped = levels.map((l) => NEST_TO_PINO[l]).filter((l): l is pino.Level => l !== undefined);
    if (mapped.length === 0) {
      this.logger.level = 'silent';
      return;
    }
    this.logger.level = PINO_ORDER.find((l) => mapped.includes(l)) ?? 'info';
  }

  private write(level: pino.Level, message: unknown, params: unknown[], errorLike = false): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const rest = [...params];
    const fields: Record<string, unknown> = {};
    if (rest.length > 0 && typeof rest[rest.length - 1] === 'string') fields['context'] = rest.pop();
    if (errorLike && rest.length > 0) {
      const last = rest[rest.length - 1];
      if (typeof last === 'string' && STACK_LINE.test(last)) fields['stack'] = rest.pop();
      else if (last === undefined) rest.pop();
    }
    if (rest.length > 0) fields['params'] = rest;

    if (message instanceof Error) {
      fields['err'] = message;
      this.logger[level](fields, message.message);
    } else if (typeof message === 'string') {
      this.logger[level](fields, message);
    } else {
      fields['data'] = message;
      this.logger[level](fields);
    }
  }
}
