#!/usr/bin/env node
// Generates docs/asyncapi.json (AsyncAPI 3.0.0) from the compiled contracts packages
// (libs/contracts/*): one channel per topic (`leadstream.<service>.v1`) and one per dead-letter
// topic (`<topic>.dlq`), one message per contract type whose payload is the contract's JSON Schema
// (draft 2020-12) and whose headers are the CloudEvents 1.0 Kafka binding (binary mode) headers
// that @leadstream/bus-kafka writes.
//
//   npm run build && node tools/asyncapi/generate.mjs    write docs/asyncapi.json
//   node tools/asyncapi/generate.mjs --check             exit 1 when docs/asyncapi.json is stale
//
// A contracts package is found by convention: it exports `<X>_TOPIC`, `<X>_SOURCE` and
// `<x>ContractSchemas` (type → JSON Schema with an `$id`). libs/bus-kafka's asyncapi.spec.ts
// regenerates the document in memory and compares it with the committed file.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
export const ASYNCAPI_FILE = join(root, 'docs', 'asyncapi.json');

const KAFKA_BINDING_VERSION = '0.5.0';
const PAYLOAD_SCHEMA_FORMAT = 'application/schema+json;version=draft-2020-12';

/** Every contracts package of the workspace, in directory order. */
export async function loadContracts() {
  const dir = join(root, 'libs', 'contracts');
  const require = createRequire(join(root, 'package.json'));
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const manifest = join(dir, name, 'package.json');
    if (!statSync(manifest, { throwIfNoEntry: false })) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')).name;
    let mod;
    try {
      mod = await import(require.resolve(pkg));
    } catch (error) {
      throw new Error(`cannot import ${pkg}: build it first (npm run build): ${error.message}`);
    }
    const exports = { ...(mod.default ?? {}), ...mod };
    const pick = (suffix) => Object.entries(exports).find(([key]) => key.endsWith(suffix))?.[1];
    const topic = pick('_TOPIC');
    const source = pick('_SOURCE');
    const schemas = pick('ContractSchemas');
    if (typeof topic !== 'string' || typeof source !== 'string' || !schemas) {
      throw new Error(`${pkg}: expected exports *_TOPIC, *_SOURCE and *ContractSchemas`);
    }
    found.push({ service: name, package: pkg, topic, source, schemas });
  }
  return found;
}

const camel = (s) => s.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c) => (c ? c.toUpperCase() : ''));

/** The Kafka record headers of a contract's messages (CloudEvents binary mode). */
export function cloudEventHeaders(type, source, dataschema) {
  return {
    type: 'object',
    description: 'CloudEvents 1.0 attributes, Kafka protocol binding, binary content mode (UTF-8 header values).',
    required: ['ce_specversion', 'ce_id', 'ce_type', 'ce_source', 'ce_time', 'ce_subject', 'content-type', 'ce_tenantid', 'ce_correlationid', 'ce_dataschema'],
    properties: {
      ce_specversion: { const: '1.0' },
      ce_id: { type: 'string', minLength: 1, description: 'Id of the domain event the contract was mapped from: stable across re-deliveries (consumers de-duplicate on it).' },
      ce_type: { const: type },
      ce_source: { const: source },
      ce_time: { type: 'string', format: 'date-time', description: 'When the producing service recorded the event.' },
      ce_subject: { type: 'string', minLength: 1, description: 'Aggregate id; also the record key, so one aggregate keeps its order.' },
      'content-type': { const: 'application/json' },
      ce_tenantid: { type: 'string', minLength: 1, description: 'Extension: the enterprise (tenant) the event belongs to.' },
      ce_correlationid: { type: 'string', minLength: 1, description: 'Extension: ties together every event caused by one request.' },
      ce_dataschema: { const: dataschema },
    },
  };
}

const DEAD_LETTER_HEADERS = {
  type: 'object',
  description: "The original record's headers, plus why and where it failed.",
  required: ['ce_leadstreamerror', 'leadstream-dlq-origin', 'leadstream-dlq-consumer'],
  properties: {
    ce_leadstreamerror: { type: 'string', description: 'Extension: why the consumer set the record aside (undecodable, or the handler failed maxAttempts times).' },
    'leadstream-dlq-origin': { type: 'string', description: '`<topic>/<partition>/<offset>` of the original record.' },
    'leadstream-dlq-consumer': { type: 'string', description: 'Consumer (group id) that failed.' },
    ce_id: { type: 'string' },
    ce_type: { type: 'string' },
  },
};

/** The AsyncAPI document as an object; deterministic for the same contracts. */
export async function buildAsyncApi(contracts) {
  contracts ??= await loadContracts();
  const channels = {};
  const operations = {};
  const messages = {};
  for (const c of contracts) {
    const channelId = camel(`${c.service} v1`);
    const dlqId = `${channelId}DeadLetters`;
    const channelMessages = {};
    for (const [type, schema] of Object.entries(c.schemas)) {
      if (typeof schema.$id !== 'string') throw new Error(`${c.package}: the schema of ${type} has no $id`);
      messages[type] = {
        name: type,
        title: schema.title ?? type,
        summary: `${type} on ${c.topic}, keyed by aggregate id.`,
        contentType: 'application/json',
        headers: cloudEventHeaders(type, c.source, schema.$id),
        payload: { schemaFormat: PAYLOAD_SCHEMA_FORMAT, schema },
        correlationId: { description: 'The request that caused the event.', location: '$message.header#/ce_correlationid' },
        bindings: {
          kafka: {
            key: { type: 'string', description: 'ce_subject (the aggregate id): one aggregate, one partition, in order.' },
            bindingVersion: KAFKA_BINDING_VERSION,
          },
        },
      };
      channelMessages[type] = { $ref: `#/components/messages/${type}` };
    }
    channels[channelId] = {
      address: c.topic,
      title: `${c.service} integration events, v1`,
      description: `Published by the ${c.service} service's relay from its event log (${c.package}); at least once, per-aggregate order.`,
      messages: channelMessages,
      bindings: { kafka: { topic: c.topic, bindingVersion: KAFKA_BINDING_VERSION } },
    };
    channels[dlqId] = {
      address: `${c.topic}.dlq`,
      title: `${c.service} dead letters`,
      description: `Records of ${c.topic} that a consumer could not handle, copied as they were.`,
      messages: { deadLetter: { $ref: '#/components/messages/deadLetter' } },
      bindings: { kafka: { topic: `${c.topic}.dlq`, bindingVersion: KAFKA_BINDING_VERSION } },
    };
    operations[camel(`publish ${c.service} v1`)] = {
      action: 'send',
      title: `The ${c.service} relay publishes`,
      channel: { $ref: `#/channels/${channelId}` },
      messages: Object.keys(channelMessages).map((type) => ({ $ref: `#/channels/${channelId}/messages/${type}` })),
    };
    operations[camel(`dead letter ${c.service} v1`)] = {
      action: 'send',
      title: `Consumers of ${c.topic} set a record aside`,
      channel: { $ref: `#/channels/${dlqId}` },
      messages: [{ $ref: `#/channels/${dlqId}/messages/deadLetter` }],
    };
  }
  messages.deadLetter = {
    name: 'deadLetter',
    title: 'Dead letter',
    summary: 'A record a consumer could not handle: original key, value and headers.',
    headers: DEAD_LETTER_HEADERS,
    payload: {},
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Leadstream integration events',
      version: '1.0.0',
      description:
        'Generated by tools/asyncapi/generate.mjs from libs/contracts/*; do not edit by hand. Every record is a CloudEvent ' +
        '(1.0, Kafka protocol binding, binary content mode): the value is the contract data as JSON, the attributes are ' +
        '`ce_*` headers, and the key is the aggregate id. Contracts never change once published; a new version gets a new ' +
        'type (and, for breaking changes, a new topic).',
    },
    defaultContentType: 'application/json',
    servers: {
      local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'Local broker: npm run infra:up (tools/infra).' },
    },
    channels,
    operations,
    components: { messages },
  };
}

export function renderAsyncApi(document) {
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = renderAsyncApi(await buildAsyncApi());
  const file = relative(root, ASYNCAPI_FILE);
  if (process.argv.includes('--check')) {
    const current = statSync(ASYNCAPI_FILE, { throwIfNoEntry: false }) ? readFileSync(ASYNCAPI_FILE, 'utf8') : '';
    if (current !== text) {
      console.error(`${file} is out of date: run node tools/asyncapi/generate.mjs`);
      process.exit(1);
    }
    console.log(`${file} is up to date`);
  } else {
    writeFileSync(ASYNCAPI_FILE, text);
    console.log(`wrote ${file}`);
  }
}
