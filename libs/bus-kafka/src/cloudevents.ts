import type { IntegrationEvent } from '@leadstream/bus';
import type { IHeaders, Message } from 'kafkajs';

/**
 * CloudEvents 1.0, Kafka protocol binding, binary content mode:
 * - value: the event `data` as JSON (UTF-8), with `content-type: application/json`;
 * - every other attribute in a header named `ce_<attribute>` (UTF-8 string);
 * - key: the `subject` (the aggregate id), so the events of one aggregate share a partition and
 *   keep their order. The binding allows a key mapper that takes the key from an attribute (3.1).
 *
 * Extension attribute names must be lowercase alphanumeric: `tenantid`, `correlationid`,
 * `leadstreamerror` (the last only on dead-letter topics). `dataschema` is an optional core
 * attribute: the `$id` (a URN) of the contract's JSON Schema.
 */
export const CLOUDEVENTS_SPECVERSION = '1.0';
export const JSON_CONTENT_TYPE = 'application/json';

export const CE_HEADER = {
  specversion: 'ce_specversion',
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  time: 'ce_time',
  subject: 'ce_subject',
  dataschema: 'ce_dataschema',
  tenantid: 'ce_tenantid',
  correlationid: 'ce_correlationid',
} as const;
export const CONTENT_TYPE_HEADER = 'content-type';
/** Added to a message copied to a dead-letter topic: why it could not be handled. */
export const CE_ERROR_HEADER = 'ce_leadstreamerror';

/** An integration event as carried on Kafka: the envelope plus its (optional) schema URN. */
export interface KafkaIntegrationEvent<TData = unknown> extends IntegrationEvent<TData> {
  readonly dataschema?: string;
}

/** A Kafka record that is not a valid Leadstream CloudEvent. Never retried: it is poison. */
export class CloudEventDecodeError extends Error {
  override readonly name = 'CloudEventDecodeError';
}

/** Encodes an integration event as a binary-mode CloudEvent Kafka message. Pure. */
export function toKafkaMessage(event: KafkaIntegrationEvent): Message & { key: string; value: string; headers: Record<string, string> } {
  const value = JSON.stringify(event.data);
  if (value === undefined) throw new TypeError(`integration event ${event.id} (${event.type}) has no JSON data`);
  const headers: Record<string, string> = {
    [CE_HEADER.specversion]: CLOUDEVENTS_SPECVERSION,
    [CE_HEADER.id]: event.id,
    [CE_HEADER.type]: event.type,
    [CE_HEADER.source]: event.source,
    [CE_HEADER.time]: event.time,
    [CE_HEADER.subject]: event.subject,
    [CONTENT_TYPE_HEADER]: JSON_CONTENT_TYPE,
    [CE_HEADER.tenantid]: event.tenantId,
    [CE_HEADER.correlationid]: event.correlationId,
  };
  if (event.dataschema !== undefined) headers[CE_HEADER.dataschema] = event.dataschema;
  return { key: event.subject, value, headers };
}

/** The parts of a consumed Kafka record the decoder reads. */
export interface KafkaRecordLike {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: IHeaders;
}

/**
 * Decodes a consumed Kafka record into an integration event. Binary mode is what Leadstream
 * produces; structured mode (`content-type: application/cloudevents+json`) is accepted too, as
 * the binding asks receivers to. Throws `CloudEventDecodeError` for anything else. Pure.
 */
export function fromKafkaMessage(message: KafkaRecordLike): KafkaIntegrationEvent {
  const headers = message.headers ?? {};
  const contentType = header(headers, CONTENT_TYPE_HEADER);
  if (contentType !== undefined && /^application\/cloudevents/i.test(contentType)) return fromStructured(contentType, message.value);

  if (contentType !== undefined && !isJsonMediaType(contentType)) {
    throw new CloudEventDecodeError(`unsupported content-type ${contentType}: data must be JSON`);
  }
  const attribute = (name: keyof typeof CE_HEADER): string | undefined => header(headers, CE_HEADER[name]);
  const data = parseJson(message.value, 'value');
  return envelope(attribute, data);
}

function fromStructured(contentType: string, value: Buffer | string | null): KafkaIntegrationEvent {
  if (!/^application\/cloudevents\+json\s*(;|$)/i.test(contentType)) {
    throw new CloudEventDecodeError(`unsupported CloudEvents event format ${contentType}`);
  }
  const body = parseJson(value, 'structured event');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new CloudEventDecodeError('structured event is not a JSON object');
  const fields = body as Record<string, unknown>;
  const dataContentType = fields['datacontenttype'];
  if (dataContentType !== undefined && (typeof dataContentType !== 'string' || !isJsonMediaType(dataContentType))) {
    throw new CloudEventDecodeError(`unsupported datacontenttype ${JSON.stringify(dataContentType)}: data must be JSON`);
  }
  if (!('data' in fields)) throw new CloudEventDecodeError('structured event has no data (data_base64 is not supported)');
  const attribute = (name: keyof typeof CE_HEADER): string | undefined => {
    const v = fields[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw new CloudEventDecodeError(`attribute ${name} is not a string`);
    return v;
  };
  return envelope(attribute, fields['data']);
}

function envelope(attribute: (name: keyof typeof CE_HEADER) => string | undefined, data: unknown): KafkaIntegrationEvent {
  const required = (name: keyof typeof CE_HEADER): string => {
    const v = attribute(name);
    if (v === undefined || v === '') throw new CloudEventDecodeError(`missing CloudEvents attribute ${name}`);
    return v;
  };
  const specversion = required('specversion');
  if (specversion !== CLOUDEVENTS_SPECVERSION) throw new CloudEventDecodeError(`unsupported CloudEvents specversion ${specversion}`);
  const dataschema = attribute('dataschema');
  return {
    id: required('id'),
    type: required('type'),
    source: required('source'),
    subject: required('subject'),
    time: required('time'),
    tenantId: required('tenantid'),
    correlationId: required('correlationid'),
    data,
    ...(dataschema !== undefined ? { dataschema } : {}),
  };
}

/** `application/json`, `application/json; charset=utf-8`, `application/<x>+json`. */
function isJsonMediaType(contentType: string): boolean {
  return /^application\/([a-z0-9.!#$&^_-]+\+)?json\s*(;|$)/i.test(contentType.trim());
}

function parseJson(value: Buffer | string | null, what: string): unknown {
  if (value === null || value.length === 0) throw new CloudEventDecodeError(`${what} is empty: an integration event always has data`);
  try {
    return JSON.parse(typeof value === 'string' ? value : value.toString('utf8')) as unknown;
  } catch (error) {
    throw new CloudEventDecodeError(`${what} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A header as a UTF-8 string; undefined when absent. A repeated CloudEvents header is an error. */
export function header(headers: IHeaders, name: string): string | undefined {
  const raw = headers[name];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) {
    if (raw.length === 0) return undefined;
    if (raw.length > 1) throw new CloudEventDecodeError(`header ${name} appears ${raw.length} times`);
    return text(raw[0]!);
  }
  return text(raw);
}

function text(value: Buffer | string): string {
  return typeof value === 'string' ? value : value.toString('utf8');
}
