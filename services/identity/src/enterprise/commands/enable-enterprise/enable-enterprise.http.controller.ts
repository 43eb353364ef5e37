import { createHash, timingSafeEqual } from 'node:crypto';
import { Controller, Headers, HttpCode, Inject, Param, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { DomainError, handleCommand, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import { correlationIdOf, Public } from '@leadstream/platform';
import { enterpriseDecider } from '../../domain/enterprise.decider';
import { ENTERPRISE_CATEGORY } from '../../domain/enterprise.events';
import { IDENTITY_EVENT_STORE, IDENTITY_OPTIONS, type IdentityOptions } from '../../../identity.tokens';

export class EnterpriseEnabledStateResponseDto {
  @ApiProperty() enterpriseId!: string;
  @ApiProperty({ description: 'false: the enterprise is "in beta"; its members cannot sign in or refresh (ORG-3)' }) enabled!: boolean;
}

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * ORG-3: operator routes to disable ("in beta") and enable an enterprise. Unlike enterprise
 * creation they are never open: without a configured operator secret they are refused (403).
 * Idempotent: disabling a disabled enterprise (or enabling an enabled one) writes nothing.
 */
@ApiTags('identity: enterprises')
@Controller('v1/enterprises')
export class EnableEnterpriseHttpController {
  constructor(
    @Inject(IDENTITY_EVENT_STORE) private readonly store: EventStore,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
  ) {}

  @Post(':id/disable')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Disable an enterprise (ORG-3, operator): its members cannot sign in (403 identity.enterprise-not-enabled)' })
  @ApiHeader({ name: 'X-Operator-Secret', required: true, description: 'Refused (403) when no operator secret is configured' })
  @ApiOkResponse({ type: EnterpriseEnabledStateResponseDto })
  disable(
    @Param('id') enterpriseId: string,
    @Headers('x-operator-secret') operatorSecret: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<EnterpriseEnabledStateResponseDto> {
    return this.run(enterpriseId, 'DisableEnterprise', operatorSecret, request);
  }

  @Post(':id/enable')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Enable an enterprise again (ORG-3, operator)' })
  @ApiHeader({ name: 'X-Operator-Secret', required: true, description: 'Refused (403) when no operator secret is configured' })
  @ApiOkResponse({ type: EnterpriseEnabledStateResponseDto })
  enable(
    @Param('id') enterpriseId: string,
    @Headers('x-operator-secret') operatorSecret: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<EnterpriseEnabledStateResponseDto> {
    return this.run(enterpriseId, 'EnableEnterprise', operatorSecret, request);
  }

  private async run(
    enterpriseId: string,
    kind: 'DisableEnterprise' | 'EnableEnterprise',
    operatorSecret: string | undefined,
    request: FastifyRequest,
  ): Promise<EnterpriseEnabledStateResponseDto> {
    if (!this.options.operatorSecret) {
      throw new DomainError('forbidden', 'identity.operator-secret-required', 'Disabling or enabling an enterprise needs a configured operator secret.');
    }
    if (!(operatorSecret && sameSecret(operatorSecret, this.options.operatorSecret))) {
      throw new UnauthorizedException('Disabling or enabling an enterprise needs the operator secret (X-Operator-Secret).');
    }
    const metadata: EventMetadata = { tenantId: enterpriseId, correlationId: correlationIdOf(request), causationId: null, actor: 'operator' };
    const result = await handleCommand(this.store, streamIdOf(ENTERPRISE_CATEGORY, enterpriseId), enterpriseDecider, { kind, now: new Date().toISOString() }, metadata);
    return { enterpriseId, enabled: result.state.enabled };
  }
}
