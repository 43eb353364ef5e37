import 'reflect-metadata';
import { leadsContractSchemas } from '@leadstream/contracts-leads';
import { KafkaBus, KafkaRelay } from '@leadstream/bus-kafka';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AuthModule,
  createLogger,
  HealthModule,
  HealthRegistry,
  IdempotencyModule,
  JwtTokenVerifier,
  loadConfig,
  remoteJwks,
} from '@leadstream/platform';
import { closeOnSignals, exitOnStartupError, openServiceStores, serveHttp, TokenVerifyingServiceConfig } from '@leadstream/runtime';
import { LeadsModule } from './leads.module';
import { leadsPublishedLog } from './integration/leads.publisher';

/** The leads service on its own (distributed mode): `npm run service -- leads`. */
async function main(): Promise<void> {
  const config = loadConfig(TokenVerifyingServiceConfig);
  const logger = createLogger({ name: 'leadstream-leads', level: config.LOG_LEVEL });
  const stores = await openServiceStores(config, 'leads');
  const topics = { partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR };
  const bus = new KafkaBus({ brokers: config.kafkaBrokers, clientId: 'leadstream-leads', topics, logger: logger.child({ component: 'bus' }) });
  const relay = new KafkaRelay({
    brokers: config.kafkaBrokers,
    clientId: 'leadstream-leads-relay',
    log: leadsPublishedLog,
    eventStore: stores.eventStore,
    checkpoints: stores.readStore,
    schemas: leadsContractSchemas,
    topics,
    logger: logger.child({ component: 'relay' }),
  });
  const verifier = new JwtTokenVerifier({
    keys: remoteJwks(`${config.IDENTITY_URL.replace(/\/$/, '')}/.well-known/jwks.json`),
    issuer: ACCESS_TOKEN_ISSUER,
    audience: ACCESS_TOKEN_AUDIENCE,
  });
  const { app, url } = await serveHttp({
    logger,
    port: config.PORT,
    host: config.HOST,
    openApi: { title: 'Leadstream leads', version: '1', description: 'The lead library and the lead overview (LEAD-*).' },
    imports: [
      HealthModule.forRoot({}),
      AuthModule.forRoot({ verifier }),
      IdempotencyModule.forRoot({ store: stores.readStore }),
      LeadsModule.register({ eventStore: stores.eventStore, readStore: stores.readStore, bus }),
    ],
  });
  relay.start();
  app.get(HealthRegistry).register('relay', async () => {
    const status = await relay.status();
    return { ok: status.state !== 'stopped', detail: status };
  });
  logger.info({ url }, 'leads service is running');
  closeOnSignals(async () => {
    await relay.stop();
    await app.close();
    await bus.close();
    await stores.close();
  }, logger);
}

main().catch((error: unknown) => exitOnStartupError(error, 'leads'));
