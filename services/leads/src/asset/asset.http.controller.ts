import { createHash, randomUUID } from 'node:crypto';
import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { IsUUID } from 'class-validator';
import { DomainError, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { CurrentPrincipal, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../leads.tokens';
import { ASSET_BLOB_STORE, type AssetBlobStore } from './asset-blob-store';
import { ASSET_CATEGORY, MAX_ASSET_BYTES, type AssetUploaded } from './domain/asset.events';
import { detectImageType, IMAGE_TYPES } from './domain/image-type';

export class AssetIdParams {
  @IsUUID()
  id: string;
}

export class AssetDto {
  @ApiProperty({ format: 'uuid', description: 'Give it as the value of an image custom field' }) id: string;
  @ApiProperty({ enum: IMAGE_TYPES, description: 'As detected from the bytes' }) contentType: string;
  @ApiProperty() size: number;
  @ApiProperty({ description: 'Hex SHA-256 of the bytes' }) sha256: string;
  @ApiProperty() url: string;
}

/**
 * Served images can never run anything: the type is the one detected at upload (and `nosniff`
 * forbids guessing another), the CSP allows nothing and sandboxes the response should a browser
 * open it as a document, and it is never offered to other origins. Bytes never change under an
 * id, so they are cached for a year and revalidated by their hash.
 */
const SERVE_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; sandbox",
  'Content-Disposition': 'inline',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'private, max-age=31536000, immutable',
};

const bodyProblem = (reason: string) => new ValidationProblemException([{ field: 'body', reason }], `The image is refused: ${reason}.`);

@ApiTags('assets')
@ApiBearerAuth()
@Controller('v1/assets')
export class AssetHttpController {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly events: EventStore,
    @Inject(ASSET_BLOB_STORE) private readonly blobs: AssetBlobStore,
  ) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions('leads:write')
  @ApiOperation({
    summary: 'Upload an image (PNG, JPEG, GIF or WebP, at most 10 MiB) for an image custom field',
    description: 'The body is the image itself (Content-Type image/* or application/octet-stream). The type is decided by its leading bytes; SVG and anything else is refused naming `body`; over 10 MiB is a 413.',
  })
  @ApiConsumes(...IMAGE_TYPES, 'application/octet-stream')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiCreatedResponse({ type: AssetDto })
  async upload(@Body() body: unknown, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<AssetDto> {
    if (!Buffer.isBuffer(body)) throw bodyProblem('send the image bytes as the body, with Content-Type image/* or application/octet-stream');
    if (body.length === 0) throw bodyProblem('is empty');
    if (body.length > MAX_ASSET_BYTES) throw bodyProblem(`is larger than ${MAX_ASSET_BYTES} bytes`);
    const contentType = detectImageType(body);
    if (!contentType) throw bodyProblem('is not a PNG, JPEG, GIF or WebP image (judged by its bytes; SVG is not accepted)');
    const assetId = randomUUID();
    const sha256 = createHash('sha256').update(body).digest('hex');
    // bytes first: an event never names an image that is not stored
    await this.blobs.put(principal.tenantId, assetId, body);
    const event: Pick<AssetUploaded, 'type' | 'data'> = {
      type: 'leads.AssetUploaded',
      data: { enterpriseId: principal.tenantId, assetId, contentType, size: body.length, sha256, uploadedBy: principal.memberId, uploadedAt: new Date().toISOString() },
    };
    await this.events.appendToStream(streamIdOf(ASSET_CATEGORY, assetId), [{ ...event, metadata: { tenantId: principal.tenantId, correlationId: assetId, actor: principal.memberId } }], { expectedRevision: 'no_stream' });
    const url = `/v1/assets/${assetId}`;
    void reply.header('Location', url);
    return { id: assetId, contentType, size: body.length, sha256, url };
  }

  @Get(':id')
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: 'An uploaded image, with headers under which it cannot run anything' })
  @ApiOkResponse({ description: 'The image bytes' })
  async get(
    @Param() { id }: AssetIdParams,
    @CurrentPrincipal() principal: Principal,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile | undefined> {
    const [uploaded] = await this.events.readStream(streamIdOf(ASSET_CATEGORY, id), { maxCount: 1 });
    const data = uploaded?.type === 'leads.AssetUploaded' ? (uploaded.data as AssetUploaded['data']) : null;
    if (!data || data.enterpriseId !== principal.tenantId) throw new DomainError('not_found', 'leads.asset-not-found', `Asset ${id} was not found.`);
    const etag = `"${data.sha256}"`;
    void reply.headers({ ...SERVE_HEADERS, ETag: etag });
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*')) {
      void reply.status(304);
      return undefined;
    }
    const bytes = await this.blobs.get(principal.tenantId, id);
    if (!bytes) throw new DomainError('not_found', 'leads.asset-not-found', `Asset ${id} has no stored image.`);
    return new StreamableFile(bytes, { type: data.contentType, length: bytes.length, disposition: 'inline' });
  }
}
