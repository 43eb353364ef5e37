import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@leadstream/platform';
import { LoginCommand } from './login.command';
import { LoginRequestDto, LoginResponseDto } from './login.request.dto';

@ApiTags('identity: auth')
@Controller('v1/auth')
export class LoginHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with enterprise + account name + password (ORG-3)' })
  @ApiOkResponse({ type: LoginResponseDto })
  login(@Body() body: LoginRequestDto): Promise<LoginResponseDto> {
    return this.commandBus.execute(new LoginCommand(body.enterpriseId, body.accountName, body.password));
  }
}
