import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { JSONWebKeySet } from 'jose';
import { Public } from '@leadstream/platform';
import { IDENTITY_OPTIONS, type IdentityOptions } from '../../../identity.tokens';

@ApiTags('identity: keys')
@Controller('.well-known')
export class GetJwksHttpController {
  constructor(@Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions) {}

  @Get('jwks.json')
  @Public()
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'Public keys that verify access tokens (JWKS)' })
  jwks(): JSONWebKeySet {
    return this.options.signingKeys.jwks();
  }
}
