import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { ProjectorRunner } from '@leadstream/read-store';
import { HealthRegistry } from '@leadstream/platform';
import { identityFeatures } from './identity.features';
import { IDENTITY_OPTIONS, type IdentityOptions } from './identity.tokens';

export const identityProjections = identityFeatures.flatMap((f) => f.projections);

/** The identity service's projections, started before the HTTP server listens. */
@Injectable()
export class IdentityRuntime implements OnModuleInit, OnApplicationShutdown {
  readonly projector: ProjectorRunner;

  constructor(
    @Inject(IDENTITY_OPTIONS) options: IdentityOptions,
    private readonly health: HealthRegistry,
  ) {
    this.projector = new ProjectorRunner(options.eventStore, options.readStore, identityProjections);
  }

  async onModuleInit(): Promise<void> {
    await this.projector.start();
    this.health.register('identity.projections', () => {
      const status = this.projector.status();
      return Promise.resolve({ ok: status.every((s) => s.lastError === undefined), detail: status });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }
}
