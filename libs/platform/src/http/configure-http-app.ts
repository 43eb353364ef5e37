import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { Logger as PinoLogger } from 'pino';
import { PinoLoggerService } from '../logging/logger';
import { installRequestIdHook } from './fastify-adapter';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation';

export interface OpenApiOptions {
  readonly title: string;
  readonly description?: string;
  readonly version: string;
}

export interface ConfigureHttpAppOptions {
  readonly logger: PinoLogger;
  readonly openApi?: OpenApiOptions;
}

/** Name of the bearer security scheme in the OpenAPI document. */
export const OPENAPI_BEARER_SCHEME = 'bearer';
export const OPENAPI_UI_PATH = 'docs';
export const OPENAPI_JSON_PATH = '/docs-json';

function canServeSwaggerUi(): boolean {
  try {
    require.resolve('@fastify/static');
    return true;
  } catch {
    return false;
  }
}

/**
 * Wires the HTTP conventions into a Nest Fastify app (call it before `app.init()`/`listen()`):
 * Nest logs through pino, the global ValidationPipe and ProblemDetailsFilter, shutdown hooks,
 * request ids, and — with `openApi` — the OpenAPI document at `/docs-json` and Swagger UI at `/docs`
 * (bearer auth scheme `bearer`, required by default). Swagger UI needs `@fastify/static`; without it
 * only `/docs-json` is served and a warning is logged.
 */
export function configureHttpApp(app: NestFastifyApplication, options: ConfigureHttpAppOptions): void {
  app.useLogger(new PinoLoggerService(options.logger));
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter(options.logger));
  app.enableShutdownHooks();
  installRequestIdHook(app.getHttpAdapter().getInstance());
  if (options.openApi) setupOpenApi(app, options.openApi, options.logger);
}

/** Builds the OpenAPI document of the app (lazily, when first requested). */
export function buildOpenApiConfig(openApi: OpenApiOptions): Omit<OpenAPIObject, 'paths'> {
  const builder = new DocumentBuilder()
    .setTitle(openApi.title)
    .setVersion(openApi.version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, OPENAPI_BEARER_SCHEME)
    .addSecurityRequirements(OPENAPI_BEARER_SCHEME);
  if (openApi.description !== undefined) builder.setDescription(openApi.description);
  return builder.build();
}

function setupOpenApi(app: NestFastifyApplication, openApi: OpenApiOptions, logger: PinoLogger): void {
  const config = buildOpenApiConfig(openApi);
  const ui = canServeSwaggerUi();
  if (!ui) logger.warn('@fastify/static is not installed: Swagger UI is disabled, the OpenAPI document is served at /docs-json');
  SwaggerModule.setup(OPENAPI_UI_PATH, app, () => SwaggerModule.createDocument(app, config), {
    ui,
    raw: ['json'],
    jsonDocumentUrl: OPENAPI_JSON_PATH,
  });
}
