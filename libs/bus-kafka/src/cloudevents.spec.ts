import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CloudEventDecodeError, fromKafkaMessage, toKafkaMessage, type KafkaIntegrationEvent } from './cloudevents';

const event: KafkaIntegrationEvent = {
  id: '6f1b1e3c-9f3e-4c4b-8d43-1b2a3c4d5e6f',
  type: 'leads.LeadCreated.v1',
  source: 'leadstream/leads',
  subject: 'b7c2a8e4-0d7e-4f43-9b1e-2f0c3d4e5f60',
  time: '2025-06-01T10:00:00.000Z',
  tenantId: 'e1d2c3b4-a596-4788-99aa-bbccddeeff00',
  correlationId: 'corr-42',
  data: { leadId: 'b7c2a8e4-0d7e-4f43-9b1e-2f0c3d4e5f60', name: '张伟', tags: ['b2b'] },
  dataschema: 'urn:leadstream:leads:LeadCreated:v1',
};

/** What kafkajs hands a consumer: Buffers everywhere. */
function asConsumed(message: { key: string; value: string; headers: Record<string, string> }) {
  return {
    key: Buffer.from(message.key),
    value: Buffer.from(message.value),
    headers: Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, Buffer.from(v)])),
  };
}

describe('toKafkaMessage (CloudEvents Kafka binding, binary mode)', () => {
  it('puts the data in the value, the attributes in ce_ headers and the subject in the key', () => {
    const message = toKafkaMessage(event);
    assert.equal(message.key, event.subject);
    assert.deepEqual(JSON.parse(message.value), event.data);
    assert.deepEqual(message.headers, {
      ce_specversion: '1.0',
      ce_id: event.id,
      ce_type: 'leads.LeadCreated.v1',
      ce_source: 'leadstream/leads',
      ce_time: '2025-06-01T10:00:00.000Z',
      ce_subject: event.subject,
      'content-type': 'application/json',
      ce_tenantid: event.tenantId,
      ce_correlationid: 'corr-42',
      ce_dataschema: 'urn:leadstream:leads:LeadCreated:v1',
    });
  });

  it('names extension attributes in lowercase alphanumerics, as CloudEvents requires', () => {
    for (const name of Object.keys(toKafkaMessage(event).headers)) {
      if (name === 'content-type') continue;
      assert.match(name, /^ce_[a-z0-9]{1,20}$/);
    }
  });

  it('leaves ce_dataschema out when there is no schema', () => {
    const { dataschema: _omitted, ...withoutSchema } = event;
    assert.equal('ce_dataschema' in toKafkaMessage(withoutSchema).headers, false);
  });

  it('refuses data that has no JSON form', () => {
    assert.throws(() => toKafkaMessage({ ...event, data: undefined }), TypeError);
  });
});

describe('fromKafkaMessage', () => {
  it('round-trips a consumed record (Buffers) to the same event', () => {
    assert.deepEqual(fromKafkaMessage(asConsumed(toKafkaMessage(event))), event);
  });

  it('round-trips string headers and values too', () => {
    assert.deepEqual(fromKafkaMessage(toKafkaMessage(event)), event);
  });

  it('keeps UTF-8 intact in headers and value', () => {
    const decoded = fromKafkaMessage(asConsumed(toKafkaMessage({ ...event, correlationId: 'corrélation-时间' })));
    assert.equal(decoded.correlationId, 'corrélation-时间');
    assert.deepEqual(decoded.data, event.data);
  });

  it('accepts application/json with parameters and +json media types', () => {
    for (const contentType of ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.leadstream+json']) {
      const m = toKafkaMessage(event);
      assert.deepEqual(fromKafkaMessage({ ...m, headers: { ...m.headers, 'content-type': contentType } }), event);
    }
  });

  it('rejects records that are not valid Leadstream CloudEvents', () => {
    const m = toKafkaMessage(event);
    const without = (name: string) => Object.fromEntries(Object.entries(m.headers).filter(([k]) => k !== name));
    const cases: Array<[string, Parameters<typeof fromKafkaMessage>[0], RegExp]> = [
      ['no specversion', { ...m, headers: without('ce_specversion') }, /specversion/],
      ['specversion 0.3', { ...m, headers: { ...m.headers, ce_specversion: '0.3' } }, /specversion 0.3/],
      ['no id', { ...m, headers: without('ce_id') }, /attribute id/],
      ['no type', { ...m, headers: without('ce_type') }, /attribute type/],
      ['no source', { ...m, headers: without('ce_source') }, /attribute source/],
      ['no subject', { ...m, headers: without('ce_subject') }, /attribute subject/],
      ['no tenant', { ...m, headers: without('ce_tenantid') }, /attribute tenantid/],
      ['no correlation', { ...m, headers: without('ce_correlationid') }, /attribute correlationid/],
      ['empty id', { ...m, headers: { ...m.headers, ce_id: '' } }, /attribute id/],
      ['value not JSON', { ...m, value: '{not json' }, /not JSON/],
      ['no value (tombstone)', { ...m, value: null }, /empty/],
      ['avro data', { ...m, headers: { ...m.headers, 'content-type': 'application/avro' } }, /content-type/],
      ['repeated header', { ...m, headers: { ...m.headers, ce_id: ['a', 'b'] } }, /2 times/],
      ['no headers at all', { key: null, value: m.value }, /specversion/],
    ];
    for (const [name, message, error] of cases) {
      assert.throws(() => fromKafkaMessage(message), (e: unknown) => e instanceof CloudEventDecodeError && error.test(e.message), name);
    }
  });

  it('decodes structured mode (application/cloudevents+json), as the binding asks receivers to', () => {
    const structured = {
      specversion: '1.0',
      id: event.id,
      type: event.type,
      source: event.source,
      subject: event.subject,
      time: event.time,
      tenantid: event.tenantId,
      correlationid: event.correlationId,
      dataschema: event.dataschema,
      datacontenttype: 'application/json',
      data: event.data,
    };
    const message = { key: Buffer.from(event.subject), value: Buffer.from(JSON.stringify(structured)), headers: { 'content-type': Buffer.from('application/cloudevents+json; charset=UTF-8') } };
    assert.deepEqual(fromKafkaMessage(message), event);
    assert.throws(
      () => fromKafkaMessage({ ...message, headers: { 'content-type': 'application/cloudevents+avro' } }),
      CloudEventDecodeError,
    );
    const { data: _data, ...noData } = structured;
    assert.throws(() => fromKafkaMessage({ ...message, value: JSON.stringify(noData) }), /no data/);
    assert.throws(() => fromKafkaMessage({ ...message, value: JSON.stringify({ ...structured, id: 7 }) }), /id is not a string/);
  });
});
