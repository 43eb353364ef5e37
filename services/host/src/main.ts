import 'reflect-metadata';
import { setFlagsFromString } from 'node:v8';
import { createLogger, loadConfig } from '@leadstream/platform';
import { closeOnSignals, exitOnStartupError } from '@leadstream/runtime';
import { HostConfig } from './config';
import { startHost } from './host';

async function main(): Promise<void> {
  const config = loadConfig(HostConfig);
  const logger = createLogger({ name: 'leadstream-host', level: config.LOG_LEVEL });
  // read by V8 at every full collection, so setting it here (before the services load) takes effect
  if (config.HEAP_GROWTH_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWTH_PERCENT}`);
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
  closeOnSignals(() => host.close(), logger);
}

main().catch((error: unknown) => exitOnStartupError(error, 'Leadstream'));
