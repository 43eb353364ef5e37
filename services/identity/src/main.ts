import 'reflect-metadata';
import { join } from 'node:path';
import type { JWK } from 'jose';
import { identityContractSchemas } from '@leadstream/contracts-identity';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  AuthModule,
  createLogger,
  HealthModule,
  IdempotencyModule,
  JwtTokenVerifier,
  loadConfig,
  localJwks,
} from '@leadstream/platform';
import {
  closeOnSignals,
  createServiceRelay,
  exitOnStartupError,
  IdentityServiceConfig,
  openServiceStores,
  serveHttp,
  startRelayWithHealth,
} from '@leadstream/runtime';
import { IdentityModule } from './identity.module';
import { identityPublishedLog } from './integration/identity.publisher';
import { SigningKeys } from './keys/signing-keys';
import { loadOrCreateMasterKey, parseMasterKey } from './binding/crypto/master-key';

/** The identity service on its own (distributed mode): `npm run service -- identity`. */
async function main(): Promise<void> {
  const config = loadConfig(IdentityServiceConfig);
  const logger = createLogger({ name: 'leadstream-identity', level: config.LOG_LEVEL });
  const stores = await openServiceStores(config, 'identity');
  const signingKeys = config.IDENTITY_SIGNING_KEY
    ? await SigningKeys.fromPrivateJwk(JSON.parse(config.IDENTITY_SIGNING_KEY) as JWK)
    : await SigningKeys.loadOrCreate(join(config.DATA_DIR, 'signing-key.json'));
  const masterKey = config.IDENTITY_MASTER_KEY ? parseMasterKey(config.IDENTITY_MASTER_KEY) : await loadOrCreateMasterKey(join(config.DATA_DIR, 'master-key'));
  const relay = createServiceRelay(config, stores, identityPublishedLog, identityContractSchemas, logger);
  const verifier = new JwtTokenVerifier({ keys: localJwks(() => signingKeys.jwks()), issuer: ACCESS_TOKEN_ISSUER, audience: ACCESS_TOKEN_AUDIENCE });
  const { app, url } = await serveHttp({
    logger,
    port: config.PORT,
    host: config.HOST,
    openApi: { title: 'Leadstream identity', version: '1', description: 'Enterprises, members, sign-in and the public keys (ORG-*).' },
    imports: [
      HealthModule.forRoot({}),
      AuthModule.forRoot({ verifier }),
      IdempotencyModule.forRoot({ store: stores.readStore }),
      IdentityModule.register({
        eventStore: stores.eventStore,
        readStore: stores.readStore,
        signingKeys,
        masterKey,
        operatorSecret: config.OPERATOR_SECRET,
        accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
      }),
    ],
  });
  startRelayWithHealth(app, relay);
  logger.info({ url }, 'identity service is running');
  closeOnSignals(async () => {
    await relay.stop();
    await app.close();
    await stores.close();
  }, logger);
}

main().catch((error: unknown) => exitOnStartupError(error, 'identity'));
