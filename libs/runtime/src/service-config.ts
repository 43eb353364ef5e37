import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { parseEventStoreUrl } from './event-store-url';

@ValidatorConstraint({ name: 'eventStoreUrl' })
class EventStoreUrlConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseEventStoreUrl(value) !== null;
  }
  defaultMessage(): string {
    return 'EVENTSTORE_URL must be sqlite:<file> or a KurrentDB connection string (kurrentdb://host:2113?tls=false)';
  }
}

const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

@ValidatorConstraint({ name: 'brokerList' })
class BrokerListConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    const brokers = value.split(',').map((b) => b.trim());
    return brokers.length > 0 && brokers.every((b) => HOST_PORT.test(b) && Number(b.split(':')[1]) <= 65535);
  }
  defaultMessage(): string {
    return 'KAFKA_BROKERS must be a comma-separated list of host:port';
  }
}

/**
 * What every service run on its own (`npm run service -- <svc>`, a container) reads from the
 * environment. Validated once at boot; a missing or malformed value stops the process with a
 * message naming the variable.
 */
export class ServiceConfig {
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  /** 127.0.0.1 by default; containers set 0.0.0.0. */
  @IsString()
  HOST: string = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** `sqlite:<file>` or a KurrentDB connection string. */
  @IsString({ message: 'EVENTSTORE_URL is required (sqlite:<file> or kurrentdb://…)' })
  @Validate(EventStoreUrlConstraint)
  EVENTSTORE_URL: string;

  @IsIn(['full', 'normal'])
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value))
  EVENTSTORE_SYNC: 'full' | 'normal' = 'full';

  /** Comma-separated host:port list. */
  @IsString({ message: 'KAFKA_BROKERS is required (host:port[,host:port…])' })
  @Validate(BrokerListConstraint)
  KAFKA_BROKERS: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  KAFKA_TOPIC_PARTITIONS: number = 3;

  @IsInt()
  @Min(1)
  @Max(10)
  KAFKA_REPLICATION_FACTOR: number = 1;

  /** MongoDB (or wire-compatible) URL; the database defaults to `leadstream_<service>`. */
  @IsString({ message: 'MONGODB_URL is required (mongodb://host:27017/)' })
  @Matches(/^mongodb(\+srv)?:\/\/[^\s]+$/, { message: 'MONGODB_URL must be a mongodb:// or mongodb+srv:// URL' })
  MONGODB_URL: string;

  get kafkaBrokers(): string[] {
    return this.KAFKA_BROKERS.split(',').map((b) => b.trim());
  }
}

/** Services that verify tokens against identity's published keys. */
export class TokenVerifyingServiceConfig extends ServiceConfig {
  /** Base URL of the identity service; its keys are at `<IDENTITY_URL>/.well-known/jwks.json`. */
  @IsString({ message: 'IDENTITY_URL is required (http://identity:3000)' })
  @Matches(/^https?:\/\/[^\s/]+(:\d+)?\/?$/, { message: 'IDENTITY_URL must be an http(s) base URL such as http://identity:3000' })
  IDENTITY_URL: string;
}

/** The leads service: verifies tokens, and keeps uploaded images' bytes on a file system. */
export class LeadsServiceConfig extends TokenVerifyingServiceConfig {
  /** Directory of uploaded images (shared by every replica: a persistent, ReadWriteMany volume). */
  @IsString()
  @MinLength(1)
  ASSETS_DIR: string = './data/leads/assets';

  /** Directory of uploaded import files and their error files (LEAD-7); a persistent volume, so a job resumes after a restart. */
  @IsString()
  @MinLength(1)
  IMPORTS_DIR: string = './data/leads/imports';
}

export class IdentityServiceConfig extends ServiceConfig {
  /** Where the signing key file lives when IDENTITY_SIGNING_KEY is not given. */
  @IsString()
  @MinLength(1)
  DATA_DIR: string = './data/identity';

  /** The private signing key as a JWK (JSON), e.g. from a secret; generated into DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  @Matches(/^\s*\{[\s\S]*\}\s*$/, { message: 'IDENTITY_SIGNING_KEY must be a JWK in JSON' })
  IDENTITY_SIGNING_KEY?: string;

  /** Master key (base64, 32 bytes) wrapping each enterprise's data key (ORG-10); generated into DATA_DIR when unset. */
  @IsOptional()
  @IsString()
  @Matches(/^\s*[A-Za-z0-9+/]{43}=\s*$/, { message: 'IDENTITY_MASTER_KEY must be 32 bytes in base64 (44 characters)' })
  IDENTITY_MASTER_KEY?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'OPERATOR_SECRET must be at least 16 characters' })
  OPERATOR_SECRET?: string;

  @IsInt()
  @Min(60)
  @Max(86_400)
  ACCESS_TOKEN_TTL_SECONDS: number = 900;
}

/** The database a service uses on MONGODB_URL: the URL's path, or `leadstream_<service>`. */
export function mongoDatabaseOf(url: string, service: string): string {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(url);
  return match?.[1] ? decodeURIComponent(match[1]) : `leadstream_${service}`;
}
