import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_ASSET_BYTES } from './domain/asset.events';

export const ASSET_UPLOAD_PATH = '/v1/assets';

/**
 * Image bodies (`image/*`, `application/octet-stream`) arrive as raw bytes, up to 10 MiB, on the
 * upload route only: every other route keeps its JSON body and its 1 MiB limit, and answers such
 * a body with 415 as before. What the bytes are is decided from the bytes, not from the header.
 */
@Injectable()
export class AssetBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!instance || typeof instance.addContentTypeParser !== 'function') return;
    const parse = (request: FastifyRequest, body: Buffer, done: (error: Error | null, body?: unknown) => void) => {
      if (request.routeOptions.url !== ASSET_UPLOAD_PATH) {
        done(Object.assign(new Error(`Unsupported Media Type: ${request.headers['content-type'] ?? ''}`), { statusCode: 415 }));
        return;
      }
      done(null, body);
    };
    const options = { parseAs: 'buffer' as const, bodyLimit: MAX_ASSET_BYTES };
    instance.addContentTypeParser(/^image\/[a-z0-9.+-]+$/i, options, parse);
    instance.addContentTypeParser('application/octet-stream', options, parse);
  }
}
