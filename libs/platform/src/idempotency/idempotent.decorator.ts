import { SetMetadata } from '@nestjs/common';

export const IDEMPOTENT_KEY = '@leadstream/platform:idempotent';
/** Request header carrying the client's idempotency key. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** Response header set on a replayed response. */
export const IDEMPOTENT_REPLAYED_HEADER = 'idempotent-replayed';

/**
 * Makes a (mutating) route honour the `Idempotency-Key` request header: the first successful (2xx)
 * response is stored and replayed for repeats with the same body for 24 h. Requires IdempotencyModule.
 */
export const Idempotent = (): MethodDecorator => SetMetadata(IDEMPOTENT_KEY, true);
