import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength } from 'class-validator';

/** The all-in-one host's configuration, from the environment, validated once at boot. */
export class HostConfig {
  /** TCP port for every service's HTTP API. */
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** Interface to listen on. 127.0.0.1 by default; set 0.0.0.0 to serve other machines. */
  @IsString()
  HOST: string = '127.0.0.1';

  /** Where the event logs, read models and signing keys live. */
  @IsString()
  @MinLength(1)
  DATA_DIR: string = './data';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** When set, creating an enterprise needs the header `X-Operator-Secret` with this value. */
  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'OPERATOR_SECRET must be at least 16 characters' })
  OPERATOR_SECRET?: string;

  /**
   * SQLite `synchronous` for the event logs: `full` (default) also survives power loss; `normal`
   * survives a killed process but may lose the last commits on power loss.
   */
  @IsIn(['full', 'normal'])
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  EVENTSTORE_SYNC: 'full' | 'normal' = 'full';

  /**
   * Where the embedded read models live: `disk` (default) keeps documents in their SQLite files
   * with a bounded cache, so memory does not grow with the number of leads; `memory` also loads
   * every document into memory at start-up (faster unindexed queries, for small data sets).
   */
  @IsIn(['disk', 'memory'])
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  READ_STORE: 'disk' | 'memory' = 'disk';

  /**
   * How far V8 lets the heap grow past what the last full collection kept, in percent (V8's
   * `--heap-growing-percent`; 0 leaves V8's own choice, which lets a busy process grow to about
   * four times its live objects). 20 keeps an import's peak near what it actually holds: measured
   * on a 100,000-row import, peak resident memory 966 -> 587 MB at the same speed.
   */
  @IsInt()
  @Min(0)
  @Max(400)
  HEAP_GROWTH_PERCENT: number = 20;

  /** Lifetime of access tokens in seconds. */
  @IsInt()
  @Min(60)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS: number = 900;
}
