import { randomUUID } from 'node:crypto';
import type { PublishedLog } from '@leadstream/bus';
import type { EventStore } from '@leadstream/event-sourcing';

/**
 * A made-up service for the relay and bus tests: `orders.OrderPlaced` (published as
 * `orders.OrderPlaced.v1`, keyed by order id, with a per-order sequence number so tests can check
 * order and gaps) and `orders.OrderNoted` (internal, never published).
 */
export const ORDERS_CATEGORY = 'orders.order';
export const ORDER_PLACED_V1 = 'orders.OrderPlaced.v1';

export interface OrderPlacedV1 {
  readonly orderId: string;
  readonly seq: number;
  readonly note?: string;
}

export const ordersSchemas = {
  [ORDER_PLACED_V1]: { $id: 'urn:leadstream:orders:OrderPlaced:v1' },
} as const;

export function ordersLog(topic: string): PublishedLog {
  return {
    service: 'orders',
    source: 'leadstream/orders',
    topic,
    categories: [ORDERS_CATEGORY],
    map: (event) => {
      if (event.type !== 'orders.OrderPlaced') return null;
      const data = event.data as OrderPlacedV1;
      return { type: ORDER_PLACED_V1, subject: data.orderId, data };
    },
  };
}

export const tenantId = 'e1d2c3b4-a596-4788-99aa-bbccddeeff00';

/** Appends `count` OrderPlaced events spread over `orders` orders (round robin); returns their ids. */
export async function placeOrders(
  store: EventStore,
  count: number,
  options: { orders?: readonly string[]; startSeq?: Map<string, number>; note?: string } = {},
): Promise<string[]> {
  const orders = options.orders ?? [randomUUID()];
  const seqs = options.startSeq ?? new Map<string, number>();
  const ids: string[] = [];
  // Group per order to append several events per stream at once (fewer appends, same order).
  const perOrder = new Map<string, { id: string; type: string; data: OrderPlacedV1; metadata: { tenantId: string; correlationId: string } }[]>();
  for (let i = 0; i < count; i++) {
    const orderId = orders[i % orders.length]!;
    const seq = (seqs.get(orderId) ?? 0) + 1;
    seqs.set(orderId, seq);
    const id = randomUUID();
    ids.push(id);
    const data: OrderPlacedV1 = options.note === undefined ? { orderId, seq } : { orderId, seq, note: options.note };
    const list = perOrder.get(orderId) ?? [];
    list.push({ id, type: 'orders.OrderPlaced', data, metadata: { tenantId, correlationId: `corr-${orderId.slice(0, 8)}-${seq}` } });
    perOrder.set(orderId, list);
  }
  // Interleave streams in the global log: one event per order per round.
  for (let round = 0; ; round++) {
    let any = false;
    for (const [orderId, list] of perOrder) {
      const event = list[round];
      if (!event) continue;
      any = true;
      await store.appendToStream(`${ORDERS_CATEGORY}-${orderId}`, [event]);
    }
    if (!any) break;
  }
  return ids;
}

/** An internal event of the same category: the relay checkpoints past it but publishes nothing. */
export async function noteOrder(store: EventStore, orderId: string): Promise<void> {
  await store.appendToStream(`${ORDERS_CATEGORY}-${orderId}`, [
    { type: 'orders.OrderNoted', data: { orderId }, metadata: { tenantId, correlationId: 'corr-note' } },
  ]);
}
