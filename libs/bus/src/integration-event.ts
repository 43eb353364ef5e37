import type { RecordedEvent } from '@leadstream/event-sourcing';

/**
 * An integration event as it travels between services: a versioned contract from
 * `libs/contracts/<service>` wrapped in a CloudEvents-shaped envelope.
 */
export interface IntegrationEvent<TData = unknown> {
  /** Equals the id of the domain event it was mapped from: stable across re-deliveries. */
  readonly id: string;
  /** Versioned contract type, e.g. `identity.EnterpriseCreated.v1`. */
  readonly type: string;
  /** Producing service, e.g. `leadstream/identity`. */
  readonly source: string;
  /** Aggregate id: the ordering (and Kafka partition) key. */
  readonly subject: string;
  readonly time: string;
  readonly tenantId: string;
  readonly correlationId: string;
  readonly data: TData;
}

/** Maps one domain event to its contract, or `null` when it is not published. */
export type IntegrationMapper = (event: RecordedEvent) => { type: string; subject: string; data: unknown } | null;

/** What a service publishes: which categories of its log, mapped how. */
export interface PublishedLog {
  readonly service: string;
  readonly source: string;
  readonly topic: string;
  readonly categories: readonly string[];
  readonly map: IntegrationMapper;
}

/** The relay's mapping step: domain event → integration event envelope (or null). */
export function toIntegrationEvent(log: PublishedLog, event: RecordedEvent): IntegrationEvent | null {
  const mapped = log.map(event);
  if (!mapped) return null;
  return {
    id: event.id,
    type: mapped.type,
    source: log.source,
    subject: mapped.subject,
    time: event.recordedAt,
    tenantId: event.metadata.tenantId,
    correlationId: event.metadata.correlationId,
    data: mapped.data,
  };
}
