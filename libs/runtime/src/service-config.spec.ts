import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@leadstream/platform';
import { IdentityServiceConfig, mongoDatabaseOf, TokenVerifyingServiceConfig } from './service-config';

const valid = {
  EVENTSTORE_URL: 'sqlite:/tmp/leads.db',
  KAFKA_BROKERS: '127.0.0.1:9092, kafka-2:9092',
  MONGODB_URL: 'mongodb://127.0.0.1:27017/',
  IDENTITY_URL: 'http://127.0.0.1:3001',
  PORT: '3002',
};

describe('service configuration', () => {
  it('reads a complete environment', () => {
    const config = loadConfig(TokenVerifyingServiceConfig, valid);
    assert.equal(config.PORT, 3002);
    assert.deepEqual(config.kafkaBrokers, ['127.0.0.1:9092', 'kafka-2:9092']);
    assert.equal(config.EVENTSTORE_SYNC, 'full');
  });

  it('names each missing variable', () => {
    assert.throws(() => loadConfig(TokenVerifyingServiceConfig, {}), (error: Error) => {
      for (const name of ['EVENTSTORE_URL', 'KAFKA_BROKERS', 'MONGODB_URL', 'IDENTITY_URL']) assert.match(error.message, new RegExp(name));
      return true;
    });
  });

  it('names each malformed variable', () => {
    assert.throws(
      () => loadConfig(TokenVerifyingServiceConfig, { ...valid, EVENTSTORE_URL: 'postgres://x', KAFKA_BROKERS: 'kafka', MONGODB_URL: 'http://x', IDENTITY_URL: 'identity', PORT: '70000' }),
      (error: Error) => {
        for (const name of ['EVENTSTORE_URL', 'KAFKA_BROKERS', 'MONGODB_URL', 'IDENTITY_URL', 'PORT']) assert.match(error.message, new RegExp(name));
        return true;
      },
    );
    assert.throws(() => loadConfig(IdentityServiceConfig, { ...valid, IDENTITY_SIGNING_KEY: 'secret' }), /IDENTITY_SIGNING_KEY/);
  });

  it('picks the database from the URL or the service name', () => {
    assert.equal(mongoDatabaseOf('mongodb://h:27017/', 'leads'), 'leadstream_leads');
    assert.equal(mongoDatabaseOf('mongodb://h:27017/crm?retryWrites=false', 'leads'), 'crm');
  });
});
