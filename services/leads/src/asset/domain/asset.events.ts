import type { DomainEvent } from '@leadstream/event-sourcing';
import type { ImageType } from './image-type';

export const ASSET_CATEGORY = 'leads.asset';

/** Largest image accepted (bytes); an image field's own maxBytes may be smaller. */
export const MAX_ASSET_BYTES = 10 * 1024 * 1024;

/** An image was stored (its bytes are in the blob store under the asset id); the stream's first event. */
export type AssetUploaded = DomainEvent<
  'leads.AssetUploaded',
  {
    readonly enterpriseId: string;
    readonly assetId: string;
    readonly contentType: ImageType;
    readonly size: number;
    /** Hex SHA-256 of the bytes: integrity and the ETag. */
    readonly sha256: string;
    readonly uploadedBy: string;
    readonly uploadedAt: string;
  }
>;
