import type { DynamicModule, ForwardReference, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { configureHttpApp, createFastifyAdapter, PinoLoggerService, type OpenApiOptions } from '@leadstream/platform';

@Module({})
class RootModule {}

export interface ServeHttpOptions {
  readonly logger: Logger;
  readonly port: number;
  readonly host: string;
  readonly openApi: OpenApiOptions;
  /** The service modules and the platform modules (health, auth, idempotency) to run. */
  readonly imports: Array<Type | DynamicModule | ForwardReference>;
}

export interface HttpService {
  readonly app: NestFastifyApplication;
  readonly url: string;
}

/** Builds the Nest app for one or more services, wires the platform conventions and listens. */
export async function serveHttp(options: ServeHttpOptions): Promise<HttpService> {
  const app = await NestFactory.create<NestFastifyApplication>(
    { module: RootModule, imports: [CqrsModule.forRoot(), ...options.imports] },
    createFastifyAdapter(),
    { logger: new PinoLoggerService(options.logger), bufferLogs: false },
  );
  configureHttpApp(app, { logger: options.logger, openApi: options.openApi });
  await app.listen({ port: options.port, host: options.host });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const shownHost = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  return { app, url: `http://${shownHost}:${port}` };
}

/**
 * Runs `close` once on SIGINT/SIGTERM, then exits 0 (1 when closing failed). A second signal
 * while closing is ignored.
 */
export function closeOnSignals(close: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** Reports a fatal start-up error on stderr and exits: config errors with 78 (EX_CONFIG). */
export function exitOnStartupError(error: unknown, name: string): never {
  const isConfig = error instanceof Error && error.name === 'ConfigError';
  process.stderr.write(`${name} failed to start: ${error instanceof Error ? (isConfig ? error.message : (error.stack ?? error.message)) : String(error)}\n`);
  process.exit(isConfig ? 78 : 1);
}
