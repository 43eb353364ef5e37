import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toIntegrationEvent } from '@leadstream/bus';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fromKafkaMessage, toKafkaMessage } from './cloudevents';
import { publishingServices, recordedFrom } from './testing/workspace-contracts';

/**
 * Every message the relay would publish for the services' real mappings validates against its
 * contract's JSON Schema (draft 2020-12), and carries that schema's `$id` as `ce_dataschema`.
 * The Kafka round trip of the same check is in kafka-relay.int-spec.ts.
 */
describe('published messages match their contracts', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);

  for (const service of publishingServices()) {
    it(`${service.service}: every mapped event validates, and every contract type is covered`, () => {
      const covered = new Set<string>();
      service.fixtures().forEach((fixture, i) => {
        const integration = toIntegrationEvent(service.log, recordedFrom(fixture, i + 1));
        assert.ok(integration, `${fixture.event.type} is published`);
        const schema = service.schemas[integration.type];
        assert.ok(schema, `${integration.type} has a JSON Schema in the contracts package`);
        const message = toKafkaMessage({ ...integration, dataschema: schema.$id });
        const decoded = fromKafkaMessage(message);
        assert.equal(decoded.dataschema, schema.$id);
        const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
        assert.ok(validate(JSON.parse(message.value)), `${integration.type}: ${ajv.errorsText(validate.errors)}`);
        covered.add(integration.type);
      });
      assert.deepEqual([...covered].sort(), Object.keys(service.schemas).sort(), 'fixtures cover every contract type');
    });
  }

  it('the schemas are strict enough to catch a leaked field or a wrong format', () => {
    const identity = publishingServices().find((s) => s.service === 'identity')!;
    const schema = identity.schemas['identity.MemberCreated.v1']!;
    const validate = ajv.getSchema(schema.$id) ?? ajv.compile(schema);
    const [, adminMember] = identity.fixtures();
    const data = toIntegrationEvent(identity.log, recordedFrom(adminMember!, 1))!.data as Record<string, unknown>;
    assert.equal(validate(data), true);
    assert.equal(validate({ ...data, passwordHash: 'secret' }), false);
    assert.equal(validate({ ...data, createdAt: 'yesterday' }), false);
  });
});
