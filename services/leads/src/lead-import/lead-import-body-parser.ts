import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const IMPORT_UPLOAD_PATH = '/v1/lead-imports';

/** Media types an import file may be sent as (what it is, is decided from its bytes). */
export const IMPORT_MEDIA_TYPES = ['text/csv', 'application/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.ms-excel'] as const;

/**
 * Import files arrive as a raw body on the upload route only, handed on as the request stream
 * (never buffered): the controller streams it to disk and enforces the 512 MiB limit itself.
 * Every other route answers these media types with 415.
 */
@Injectable()
export class LeadImportBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const instance = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!instance || typeof instance.addContentTypeParser !== 'function') return;
    instance.addContentTypeParser([...IMPORT_MEDIA_TYPES], (request: FastifyRequest, payload: unknown, done: (error: Error | null, body?: unknown) => void) => {
      if (request.routeOptions.url !== IMPORT_UPLOAD_PATH || request.method !== 'POST') {
        done(Object.assign(new Error(`Unsupported Media Type: ${request.headers['content-type'] ?? ''}`), { statusCode: 415 }));
        return;
      }
      done(null, payload);
    });
  }
}
