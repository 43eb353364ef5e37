import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { EmbeddedBus } from '@leadstream/bus';
import { SqliteEventStore } from '@leadstream/event-store-sqlite';
import type { ReadStore } from '@leadstream/read-store';
import { DiskReadStore, EmbeddedReadStore } from '@leadstream/read-store-embedded';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AuthModule,
  HealthModule,
  IdempotencyModule,
  JwtTokenVerifier,
  localJwks,
} from '@leadstream/platform';
import { serveHttp } from '@leadstream/runtime';
import { identityPublishedLog, IdentityModule, loadOrCreateMasterKey, SigningKeys } from '@leadstream/identity';
import { leadsPublishedLog, LeadsModule, SqliteLeadKeyStore } from '@leadstream/leads';
import type { HostConfig } from './config';

export interface RunningHost {
  readonly app: NestFastifyApplication;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Runs every service in one process on one port: the embedded mode. Each service keeps its own
 * event log (SQLite) and read store (embedded, persisted) under DATA_DIR/<service>/; the event
 * logs double as the integration bus.
 */
export async function startHost(config: HostConfig, logger: Logger): Promise<RunningHost> {
  const dataDir = resolve(config.DATA_DIR);
  for (const dir of ['identity', 'leads', 'platform']) await mkdir(join(dataDir, dir), { recursive: true });

  const identityEvents = new SqliteEventStore({ path: join(dataDir, 'identity', 'events.db'), synchronous: config.EVENTSTORE_SYNC });
  const leadsEvents = new SqliteEventStore({ path: join(dataDir, 'leads', 'events.db'), synchronous: config.EVENTSTORE_SYNC });
  const openRead = (path: string): Promise<ReadStore> =>
    config.READ_STORE === 'memory' ? EmbeddedReadStore.open({ path }) : DiskReadStore.open({ path });
  const identityRead = await openRead(join(dataDir, 'identity', 'read.db'));
  const leadsRead = await openRead(join(dataDir, 'leads', 'read.db'));
  const platformRead = await openRead(join(dataDir, 'platform', 'read.db'));
  const leadKeys = new SqliteLeadKeyStore(join(dataDir, 'leads', 'keys.db'));
  const signingKeys = await SigningKeys.loadOrCreate(join(dataDir, 'identity', 'signing-key.json'));
  const masterKey = await loadOrCreateMasterKey(join(dataDir, 'identity', 'master-key'));
  const busLogger = logger.child({ component: 'bus' });
  const bus = new EmbeddedBus(
    [
      { log: identityPublishedLog, eventStore: identityEvents },
      { log: leadsPublishedLog, eventStore: leadsEvents },
    ],
    { warn: (o, m) => busLogger.warn(o, m), error: (o, m) => busLogger.error(o, m) },
  );
  const verifier = new JwtTokenVerifier({
    keys: localJwks(() => signingKeys.jwks()),
    issuer: ACCESS_TOKEN_ISSUER,
    audience: ACCESS_TOKEN_AUDIENCE,
  });

  const { app, url } = await serveHttp({
    logger,
    port: config.PORT,
    host: config.HOST,
    openApi: {
      title: 'Leadstream',
      version: '1',
      description: 'Every Leadstream service this host runs: identity (/v1/enterprises, /v1/auth, /.well-known/jwks.json) and leads (/v1/leads, /v1/lead-overview).',
    },
    imports: [
      HealthModule.forRoot({}),
      AuthModule.forRoot({ verifier }),
      IdempotencyModule.forRoot({ store: platformRead }),
      IdentityModule.register({
        eventStore: identityEvents,
        readStore: identityRead,
        signingKeys,
        masterKey,
        operatorSecret: config.OPERATOR_SECRET,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      }),
      LeadsModule.register({ eventStore: leadsEvents, readStore: leadsRead, keyStore: leadKeys, assetsDir: join(dataDir, 'leads', 'assets'), importsDir: join(dataDir, 'leads', 'imports'), bus }),
    ],
  });

  let closing: Promise<void> | null = null;
  return {
    app,
    url,
    close() {
      closing ??= (async () => {
        await app.close();
        await bus.close();
        await Promise.all([identityEvents.close(), leadsEvents.close()]);
        await Promise.all([identityRead.close(), leadsRead.close(), platformRead.close(), leadKeys.close()]);
      })();
      return closing;
    },
  };
}
