import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, Public, ValidationProblemException } from '@leadstream/platform';
import { LogoutCommand, RefreshCommand } from '../session/session.commands';
import { LoginCommand } from './login.command';
import { LoginRequestDto, LoginResponseDto, RefreshTokenRequestDto } from './login.request.dto';

@ApiTags('identity: auth')
@Controller('v1/auth')
export class LoginHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with enterprise + account name, or account number, + password (ORG-3); 429 with Retry-After while locked out' })
  @ApiOkResponse({ type: LoginResponseDto })
  login(@Body() body: LoginRequestDto, @Req() request: FastifyRequest): Promise<LoginResponseDto> {
    if (body.accountNumber !== undefined && (body.enterpriseId !== undefined || body.accountName !== undefined)) {
      throw new ValidationProblemException(
        [body.enterpriseId !== undefined ? 'enterpriseId' : null, body.accountName !== undefined ? 'accountName' : null]
          .filter((f): f is string => f !== null)
          .map((field) => ({ field, reason: `${field} must not be given together with accountNumber` })),
      );
    }
    const identifier = body.accountNumber !== undefined ? { accountNumber: body.accountNumber } : { enterpriseId: body.enterpriseId!, accountName: body.accountName! };
    return this.commandBus.execute(new LoginCommand(identifier, body.password, body.audience ?? 'api', request.ip ?? null, correlationIdOf(request)));
  }

  @Post('refresh')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'New access token + rotated refresh token (ORG-3); a reused refresh token revokes its session' })
  @ApiOkResponse({ type: LoginResponseDto })
  refresh(@Body() body: RefreshTokenRequestDto, @Req() request: FastifyRequest): Promise<LoginResponseDto> {
    return this.commandBus.execute(new RefreshCommand(body.refreshToken, correlationIdOf(request)));
  }

  @Post('logout')
  @Public()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the session of a refresh token (ORG-3); always 204' })
  @ApiNoContentResponse()
  logout(@Body() body: RefreshTokenRequestDto, @Req() request: FastifyRequest): Promise<void> {
    return this.commandBus.execute(new LogoutCommand(body.refreshToken, correlationIdOf(request)));
  }
}
