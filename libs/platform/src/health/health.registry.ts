import { Injectable, Logger } from '@nestjs/common';

export interface HealthCheckResult {
  readonly ok: boolean;
  readonly detail?: unknown;
}

export type HealthCheckFn = () => Promise<HealthCheckResult>;

export interface HealthCheck {
  readonly name: string;
  readonly check: HealthCheckFn;
}

export interface ReadinessReport {
  readonly ok: boolean;
  readonly checks: Readonly<Record<string, HealthCheckResult>>;
}

/** Default time a readiness check may take before it counts as failed. */
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 5_000;

/**
 * The readiness checks of a process. Provided by HealthModule; services register more at startup
 * (e.g. each projector's status): `registry.register('projector:leads', async () => ({ ok: true }))`.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, HealthCheckFn>();
  private readonly logger = new Logger('HealthRegistry');
  private timeoutMs = DEFAULT_HEALTH_CHECK_TIMEOUT_MS;

  /** Adds (or replaces) a named check. Returns a function that removes it again. */
  register(name: string, check: HealthCheckFn): () => void {
    if (typeof name !== 'string' || name.length === 0) throw new Error('a health check needs a name');
    this.checks.set(name, check);
    return () => {
      if (this.checks.get(name) === check) this.checks.delete(name);
    };
  }

  unregister(name: string): void {
    this.checks.delete(name);
  }

  names(): string[] {
    return [...this.checks.keys()];
  }

  setTimeout(ms: number): void {
    this.timeoutMs = ms;
  }

  /** Runs every check concurrently; a check that throws or exceeds the timeout fails. */
  async run(): Promise<ReadinessReport> {
    const entries = await Promise.all(
      [...this.checks.entries()].map(async ([name, check]) => [name, await this.runOne(name, check)] as const),
    );
    const checks: Record<string, HealthCheckResult> = {};
    for (const [name, result] of entries) checks[name] = result;
    return { ok: entries.every(([, r]) => r.ok), checks };
  }

  private async runOne(name: string, check: HealthCheckFn): Promise<HealthCheckResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HealthCheckResult>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, detail: `timed out after ${this.timeoutMs} ms` }), this.timeoutMs);
      timer.unref();
    });
    try {
      const result = await Promise.race([
        Promise.resolve().then(check).then(
          (r): HealthCheckResult =>
            r && typeof r.ok === 'boolean' ? (r.detail === undefined ? { ok: r.ok } : { ok: r.ok, detail: r.detail }) : { ok: false, detail: 'check returned no result' },
          // the error's message may hold internals (hosts, connection strings): not part of the public answer
          (error: unknown): HealthCheckResult => {
            this.logger.warn(`readiness check ${name} threw: ${error instanceof Error ? error.message : String(error)}`);
            return { ok: false, detail: 'check threw an error' };
          },
        ),
        timeout,
      ]);
      return result;
    } finally {
      clearTimeout(timer);
    }
  }
}
