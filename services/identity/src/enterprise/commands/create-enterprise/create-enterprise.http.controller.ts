import { timingSafeEqual, createHash } from 'node:crypto';
import { Body, Controller, Headers, HttpCode, Inject, Post, Req, UnauthorizedException } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, Idempotent, Public } from '@leadstream/platform';
import { DEFAULT_SEAT_QUOTA, DEFAULT_TIME_ZONE } from '../../domain/enterprise.decider';
import { IDENTITY_OPTIONS, type IdentityOptions } from '../../../identity.tokens';
import { CreateEnterpriseCommand } from './create-enterprise.command';
import { CreateEnterpriseRequestDto, CreateEnterpriseResponseDto } from './create-enterprise.request.dto';

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

@ApiTags('identity: enterprises')
@Controller('v1/enterprises')
export class CreateEnterpriseHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(IDENTITY_OPTIONS) private readonly options: IdentityOptions,
  ) {}

  @Post()
  @Public()
  @Idempotent()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create an enterprise (tenant) with its administrator (ORG-1)' })
  @ApiHeader({ name: 'X-Operator-Secret', required: false, description: 'Required when the operator secret is configured' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ type: CreateEnterpriseResponseDto })
  async create(
    @Body() body: CreateEnterpriseRequestDto,
    @Headers('x-operator-secret') operatorSecret: string | undefined,
    @Req() request: FastifyRequest,
  ): Promise<CreateEnterpriseResponseDto> {
    if (this.options.operatorSecret && !(operatorSecret && sameSecret(operatorSecret, this.options.operatorSecret))) {
      throw new UnauthorizedException('Creating an enterprise needs the operator secret (X-Operator-Secret).');
    }
    return this.commandBus.execute(
      new CreateEnterpriseCommand(
        body.name,
        body.timeZone ?? DEFAULT_TIME_ZONE,
        body.seatQuota ?? DEFAULT_SEAT_QUOTA,
        { accountName: body.admin.accountName, password: body.admin.password, realName: body.admin.realName ?? null },
        correlationIdOf(request),
        body.enabled ?? true,
      ),
    );
  }
}
