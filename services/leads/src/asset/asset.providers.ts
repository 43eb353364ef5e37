import type { Provider, Type } from '@nestjs/common';
import { LEADS_OPTIONS, type LeadsOptions } from '../leads.tokens';
import { ASSET_BLOB_STORE, FileAssetBlobStore } from './asset-blob-store';
import { AssetBodyParser } from './asset-body-parser';
import { AssetHttpController } from './asset.http.controller';

/** Controllers and providers of the image upload slice (LEAD-4 image fields), registered by LeadsModule. */
export const assetControllers: Type[] = [AssetHttpController];
export const assetProviders: Provider[] = [
  AssetBodyParser,
  { provide: ASSET_BLOB_STORE, inject: [LEADS_OPTIONS], useFactory: (options: LeadsOptions) => new FileAssetBlobStore(options.assetsDir) },
];
