import { Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health.controller';
import { HealthRegistry, type HealthCheck } from './health.registry';

export interface HealthModuleOptions {
  readonly checks?: readonly HealthCheck[];
  /** Per-check timeout in ms (default 5000). */
  readonly timeoutMs?: number;
}

/**
 * `GET /health/live` → 200 `{status:'ok'}`; `GET /health/ready` → 200 `{status:'ok', checks}` or 503
 * problem+json with `checks`. Both @Public. HealthRegistry is exported globally for later registrations.
 */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      global: true,
      controllers: [HealthController],
      providers: [
        {
          provide: HealthRegistry,
          useFactory: () => {
            const registry = new HealthRegistry();
            if (options.timeoutMs !== undefined) registry.setTimeout(options.timeoutMs);
            for (const c of options.checks ?? []) registry.register(c.name, c.check);
            return registry;
          },
        },
      ],
      exports: [HealthRegistry],
    };
  }
}
