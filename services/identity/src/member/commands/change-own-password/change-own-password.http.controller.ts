import { Body, Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, type Principal } from '@leadstream/platform';
import { ChangeOwnPasswordCommand } from './change-own-password.command';
import { ActiveMemberGuard } from '../../active-member.guard';

export class ChangeOwnPasswordRequestDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  currentPassword: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  newPassword: string;
}

@ApiTags('identity: members')
@ApiBearerAuth()
@UseGuards(ActiveMemberGuard)
@Controller('v1/members/me')
export class ChangeOwnPasswordHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Any signed-in member, for itself: no permission beyond a valid token. */
  @Post('password')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change one’s own password; needs the current one (ORG-5)' })
  @ApiNoContentResponse()
  change(@Body() body: ChangeOwnPasswordRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    return this.commandBus.execute(new ChangeOwnPasswordCommand(body.currentPassword, body.newPassword, principal, correlationIdOf(request)));
  }
}
