import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { toKafkaMessage } from './cloudevents';
import { defaultTopicOf } from './topics';
import { publishingServices } from './testing/workspace-contracts';

const root = resolve(__dirname, '..', '..', '..');

interface Generator {
  readonly ASYNCAPI_FILE: string;
  buildAsyncApi(): Promise<AsyncApi>;
  renderAsyncApi(document: AsyncApi): string;
}

interface AsyncApiMessage {
  readonly name: string;
  readonly headers: Record<string, unknown>;
  readonly payload: { readonly schemaFormat: string; readonly schema: { readonly $id: string } };
}
interface AsyncApi {
  readonly asyncapi: string;
  readonly channels: Record<string, { readonly address: string; readonly messages: Record<string, { readonly $ref: string }> }>;
  readonly operations: Record<string, { readonly action: string; readonly channel: { readonly $ref: string }; readonly messages: { readonly $ref: string }[] }>;
  readonly components: { readonly messages: Record<string, AsyncApiMessage> };
}

/** tools/asyncapi/generate.mjs, which imports the compiled contracts packages. */
async function generator(): Promise<Generator> {
  return (await import(pathToFileURL(join(root, 'tools', 'asyncapi', 'generate.mjs')).href)) as Generator;
}

describe('docs/asyncapi.json', () => {
  it('is what tools/asyncapi/generate.mjs makes of the contracts today (no drift)', async () => {
    const g = await generator();
    const expected = g.renderAsyncApi(await g.buildAsyncApi());
    const committed = readFileSync(g.ASYNCAPI_FILE, 'utf8');
    assert.ok(committed === expected, 'docs/asyncapi.json is out of date: run `npm run build && node tools/asyncapi/generate.mjs`');
  });

  it('has a channel per topic and a message per contract type, payload = the contract schema', async () => {
    const doc = await (await generator()).buildAsyncApi();
    assert.equal(doc.asyncapi, '3.0.0');
    const addresses = Object.values(doc.channels).map((c) => c.address);
    for (const service of publishingServices()) {
      const topic = defaultTopicOf(service.service);
      assert.equal(service.log.topic, topic, `${service.service} publishes on ${topic}`);
      assert.ok(addresses.includes(topic) && addresses.includes(`${topic}.dlq`), `channels for ${topic}`);
      const channel = Object.values(doc.channels).find((c) => c.address === topic)!;
      for (const [type, schema] of Object.entries(service.schemas)) {
        const message = doc.components.messages[type];
        assert.ok(message, `message ${type}`);
        assert.deepEqual(message.payload.schema, schema);
        assert.equal(message.payload.schemaFormat, 'application/schema+json;version=draft-2020-12');
        assert.equal(channel.messages[type]?.$ref, `#/components/messages/${type}`);
      }
    }
    // Every operation's messages belong to its channel (an AsyncAPI 3.0 rule).
    for (const [id, op] of Object.entries(doc.operations)) {
      const channelId = op.channel.$ref.replace('#/channels/', '');
      for (const m of op.messages) assert.ok(m.$ref.startsWith(`#/channels/${channelId}/messages/`), `${id}: ${m.$ref}`);
    }
  });

  it("headers schemas accept exactly what toKafkaMessage writes", async () => {
    const doc = await (await generator()).buildAsyncApi();
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(ajv);
    for (const service of publishingServices()) {
      for (const [type, schema] of Object.entries(service.schemas)) {
        const validate = ajv.compile(doc.components.messages[type]!.headers);
        const { headers } = toKafkaMessage({
          id: '6f1b1e3c-9f3e-4c4b-8d43-1b2a3c4d5e6f',
          type,
          source: service.log.source,
          subject: 'b7c2a8e4-0d7e-4f43-9b1e-2f0c3d4e5f60',
          time: new Date().toISOString(),
          tenantId: 'tenant-1',
          correlationId: 'corr-1',
          data: {},
          dataschema: schema.$id,
        });
        assert.ok(validate(headers), `${type}: ${ajv.errorsText(validate.errors)}`);
        assert.equal(validate({ ...headers, ce_type: 'other.Type.v1' }), false);
        const { ce_tenantid: _dropped, ...missing } = headers;
        assert.equal(validate(missing), false);
      }
    }
  });
});
