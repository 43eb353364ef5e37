import { resolve } from 'node:path';
import 'reflect-metadata';
import { leadsContractSchemas } from '@leadstream/contracts-leads';
import { KafkaBus } from '@leadstream/bus-kafka';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AuthModule,
  createLogger,
  HealthModule,
  IdempotencyModule,
  JwtTokenVerifier,
  loadConfig,
  remoteJwks,
} from '@leadstream/platform';
import {
  closeOnSignals,
  createServiceRelay,
  exitOnStartupError,
  openServiceStores,
  serveHttp,
  startRelayWithHealth,
  LeadsServiceConfig,
  topicSettingsOf,
} from '@leadstream/runtime';
import { LeadsModule } from './leads.module';
import { CollectionLeadKeyStore, LEAD_KEYS_COLLECTION } from './lead-crypto/collection-lead-key-store';
import { leadsPublishedLog } from './integration/leads.publisher';

/** The leads service on its own (distributed mode): `npm run service -- leads`. */
async function main(): Promise<void> {
  const config = loadConfig(LeadsServiceConfig);
  const logger = createLogger({ name: 'leadstream-leads', level: config.LOG_LEVEL });
  const stores = await openServiceStores(config, 'leads');
  const bus = new KafkaBus({ brokers: config.kafkaBrokers, clientId: 'leadstream-leads', topics: topicSettingsOf(config), logger: logger.child({ component: 'bus' }) });
  const relay = createServiceRelay(config, stores, leadsPublishedLog, leadsContractSchemas, logger);
  const verifier = new JwtTokenVerifier({
    keys: remoteJwks(`${config.IDENTITY_URL.replace(/\/$/, '')}/.well-known/jwks.json`),
    issuer: ACCESS_TOKEN_ISSUER,
    audience: ACCESS_TOKEN_AUDIENCE,
  });
  // Lead data keys live beside the read models (MongoDB) but in a collection no projection owns.
  const leadKeys = CollectionLeadKeyStore.over(stores.readStore.collection(LEAD_KEYS_COLLECTION));
  const { app, url } = await serveHttp({
    logger,
    port: config.PORT,
    host: config.HOST,
    openApi: { title: 'Leadstream leads', version: '1', description: 'The lead library and the lead overview (LEAD-*).' },
    imports: [
      HealthModule.forRoot({}),
      AuthModule.forRoot({ verifier }),
      IdempotencyModule.forRoot({ store: stores.readStore }),
      LeadsModule.register({ eventStore: stores.eventStore, readStore: stores.readStore, keyStore: leadKeys, assetsDir: resolve(config.ASSETS_DIR), importsDir: resolve(config.IMPORTS_DIR), bus }),
    ],
  });
  startRelayWithHealth(app, relay);
  logger.info({ url }, 'leads service is running');
  closeOnSignals(async () => {
    await relay.stop();
    await app.close();
    await bus.close();
    await stores.close();
  }, logger);
}

main().catch((error: unknown) => exitOnStartupError(error, 'leads'));
