import 'reflect-metadata';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { ConfigError, EnvBoolean, EnvList, loadConfig } from './load-config';

class ServiceConfig {
  @IsInt({ message: 'PORT must be an integer between 1 and 65535' })
  @Min(1, { message: 'PORT must be an integer between 1 and 65535' })
  @Max(65535, { message: 'PORT must be an integer between 1 and 65535' })
  PORT: number = 3000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  IDENTITY_URL!: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
  LOG_LEVEL: string = 'info';

  @EnvBoolean()
  @IsBoolean()
  DOCS_ENABLED: boolean = true;

  @IsOptional()
  @EnvList()
  @IsString({ each: true })
  CORS_ORIGINS?: string[];

  @IsString()
  @MinLength(32)
  SIGNING_SECRET!: string;
}

const base = { IDENTITY_URL: 'http://identity:3001', SIGNING_SECRET: 's'.repeat(32) };

describe('loadConfig', () => {
  it('converts, applies defaults and ignores unknown variables', () => {
    const config = loadConfig(ServiceConfig, { ...base, PORT: '8080', HOME: '/root', PATH: '/bin', DOCS_ENABLED: 'false', CORS_ORIGINS: 'a.test, b.test,' });
    assert.ok(config instanceof ServiceConfig);
    assert.equal(config.PORT, 8080);
    assert.equal(config.LOG_LEVEL, 'info');
    assert.equal(config.DOCS_ENABLED, false);
    assert.deepEqual(config.CORS_ORIGINS, ['a.test', 'b.test']);
    assert.equal(Object.prototype.hasOwnProperty.call(config, 'HOME'), false);
    assert.equal(Object.prototype.hasOwnProperty.call(config, 'PATH'), false);

    const defaults = loadConfig(ServiceConfig, base);
    assert.equal(defaults.PORT, 3000);
    assert.equal(defaults.DOCS_ENABLED, true);
    assert.equal(defaults.CORS_ORIGINS, undefined);
  });

  it('names every bad variable and why, without echoing values', () => {
    let error: unknown;
    try {
      loadConfig(ServiceConfig, { PORT: '70000', IDENTITY_URL: 'not a url', LOG_LEVEL: 'loud', DOCS_ENABLED: 'maybe', SIGNING_SECRET: 'tooshort-hunter2' });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /^Invalid configuration: /);
    assert.match(error.message, /PORT must be an integer between 1 and 65535/);
    assert.match(error.message, /IDENTITY_URL must be a URL address/);
    assert.match(error.message, /LOG_LEVEL must be one of the following values/);
    assert.match(error.message, /DOCS_ENABLED must be a boolean value/);
    assert.match(error.message, /SIGNING_SECRET must be longer than or equal to 32 characters/);
    assert.doesNotMatch(error.message, /hunter2|70000/);
    assert.deepEqual(error.issues.map((i) => i.variable).sort(), ['DOCS_ENABLED', 'IDENTITY_URL', 'LOG_LEVEL', 'PORT', 'SIGNING_SECRET']);
  });

  it('reports missing required variables and non-numeric numbers', () => {
    assert.throws(() => loadConfig(ServiceConfig, { PORT: 'eighty' }), (e: unknown) => {
      assert.ok(e instanceof ConfigError);
      assert.match(e.message, /PORT must be an integer between 1 and 65535/);
      assert.equal(e.message.split('PORT must be').length, 2, 'the same reason is given once');
      assert.match(e.message, /IDENTITY_URL/);
      assert.match(e.message, /SIGNING_SECRET/);
      return true;
    });
    assert.equal(
      new ConfigError([{ variable: 'PORT', reasons: ['PORT must be an integer between 1 and 65535'] }]).message,
      'Invalid configuration: PORT must be an integer between 1 and 65535',
    );
  });

  it('reads process.env by default', () => {
    const saved = { ...process.env };
    try {
      Object.assign(process.env, base, { PORT: '4321' });
      assert.equal(loadConfig(ServiceConfig).PORT, 4321);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });
});
