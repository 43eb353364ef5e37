// Boots a real Nest application on Fastify the way services do, for the platform's own int-specs.
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger } from '../logging/logger';
import { configureHttpApp, type OpenApiOptions } from '../http/configure-http-app';
import { createFastifyAdapter } from '../http/fastify-adapter';

export interface BootedApp {
  readonly app: NestFastifyApplication;
  /** Log lines (parsed JSON) written so far. */
  readonly logs: Array<Record<string, unknown>>;
  readonly rawLogs: string[];
}

export async function bootApp(
  module: unknown,
  options: { bodyLimit?: number; openApi?: OpenApiOptions } = {},
): Promise<BootedApp> {
  const rawLogs: string[] = [];
  const logs: Array<Record<string, unknown>> = [];
  const logger = createLogger({ name: 'platform-test', level: 'info' }, {
    write(line: string) {
      rawLogs.push(line);
      logs.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    module as never,
    createFastifyAdapter(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    { logger: false, abortOnError: false },
  );
  configureHttpApp(app, { logger, ...(options.openApi ? { openApi: options.openApi } : {}) });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return { app, logs, rawLogs };
}
