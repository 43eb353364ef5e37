import { plainToInstance, Transform } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

export interface ConfigIssue {
  /** The environment variable (nested properties joined with '.'). */
  readonly variable: string;
  /** Why it was rejected (class-validator messages; they start with the variable name). */
  readonly reasons: readonly string[];
}

/** Thrown by loadConfig: the message names every bad variable and why; values are never included. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly issues: readonly ConfigIssue[]) {
    super(`Invalid configuration: ${issues.flatMap((i) => i.reasons).join('; ')}`);
  }
}

function collectIssues(errors: readonly ValidationError[], parent = ''): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  for (const error of errors) {
    const variable = parent ? `${parent}.${error.property}` : error.property;
    const reasons = [...new Set(Object.values(error.constraints ?? {}))];
    if (reasons.length > 0) issues.push({ variable, reasons });
    if (error.children?.length) issues.push(...collectIssues(error.children, variable));
  }
  return issues;
}

/**
 * Reads a config class from environment variables. Property names are the variable names
 * (UPPER_SNAKE); values are converted with class-transformer's implicit conversion (`PORT: number`
 * gets a number) and validated with class-validator. Unknown variables are ignored and stripped;
 * defaults given as property initialisers apply when a variable is absent.
 *
 * Booleans: implicit conversion would turn "false" into true, so decorate boolean properties with
 * `@EnvBoolean()` (accepts true/false/1/0/yes/no/on/off).
 *
 *     class Config { @IsInt() @Min(1) @Max(65535) PORT: number = 3000; }
 *     const config = loadConfig(Config); // throws ConfigError
 */
export function loadConfig<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined) plain[name] = value;
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: true, exposeDefaultValues: true });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: false,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new ConfigError(collectIssues(errors));
  return instance;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/**
 * Parses a boolean environment variable (true/false/1/0/yes/no/on/off, case-insensitive). Any other
 * text is left as it is, so that `@IsBoolean()` rejects it. Use together with `@IsBoolean()`.
 */
export function EnvBoolean(): PropertyDecorator {
  return Transform(({ obj, key, value }) => {
    const raw = (obj as Record<string, unknown>)[key];
    if (typeof raw === 'boolean') return raw;
    if (typeof raw !== 'string') return value as unknown;
    const word = raw.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return raw;
  });
}

/** Splits a comma-separated environment variable into trimmed, non-empty strings. */
export function EnvList(): PropertyDecorator {
  return Transform(({ obj, key, value }) => {
    const raw = (obj as Record<string, unknown>)[key];
    if (typeof raw !== 'string') return value as unknown;
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s.length > 0);
  });
}
