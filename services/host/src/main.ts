import 'reflect-metadata';
import { createLogger, loadConfig } from '@leadstream/platform';
import { HostConfig } from './config';
import { startHost } from './host';

async function main(): Promise<void> {
  let config: HostConfig;
  try {
    config = loadConfig(HostConfig);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(78); // EX_CONFIG
  }
  const logger = createLogger({ name: 'leadstream-host', level: config.LOG_LEVEL });
  const host = await startHost(config, logger);
  logger.info({ url: host.url, dataDir: config.DATA_DIR }, 'Leadstream is running');
  process.stdout.write(
    [
      '',
      `Leadstream is listening on ${host.url}`,
      `  API docs (Swagger UI): ${host.url}/docs`,
      `  OpenAPI JSON:          ${host.url}/docs-json`,
      `  Health:                ${host.url}/health/ready`,
      `  Data directory:        ${config.DATA_DIR}`,
      '',
    ].join('\n') + '\n',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    host.close().then(
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

main().catch((error: unknown) => {
  process.stderr.write(`Leadstream failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
