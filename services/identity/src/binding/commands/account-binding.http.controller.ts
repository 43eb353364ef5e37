import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import type { FastifyRequest } from 'fastify';
import { correlationIdOf, CurrentPrincipal, RequirePermissions, ValidationProblemException, type Principal } from '@leadstream/platform';
import type { Credentials } from '../credential-vault';
import { BINDING_KINDS, type BindingKind } from '../domain/binding.events';
import { MAX_ACCOUNT_ID_LENGTH, MAX_DISPLAY_NAME_LENGTH } from '../domain/binding.decider';
import { ChangeAccountBindingCommand } from './account-binding.command';

export const MAX_CREDENTIAL_FIELDS = 20;
export const MAX_CREDENTIAL_VALUE_LENGTH = 4096;
const CREDENTIAL_FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/**
 * Checks the credentials object: 1–20 fields, names like `appSecret`, values non-empty text. Errors
 * name the field, never its value.
 */
export function checkCredentials(value: unknown): Credentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationProblemException([{ field: 'credentials', reason: 'must be an object of text values' }]);
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const errors: { field: string; reason: string }[] = [];
  if (entries.length === 0) errors.push({ field: 'credentials', reason: 'must have at least one field' });
  if (entries.length > MAX_CREDENTIAL_FIELDS) errors.push({ field: 'credentials', reason: `must have at most ${MAX_CREDENTIAL_FIELDS} fields` });
  for (const [name, v] of entries) {
    if (!CREDENTIAL_FIELD_NAME.test(name)) {
      errors.push({ field: 'credentials', reason: 'field names must start with a letter and hold only letters, digits and _ (at most 64)' });
    } else if (typeof v !== 'string' || v.length === 0 || v.length > MAX_CREDENTIAL_VALUE_LENGTH) {
      errors.push({ field: `credentials.${name}`, reason: `must be non-empty text of at most ${MAX_CREDENTIAL_VALUE_LENGTH} characters` });
    }
  }
  if (errors.length > 0) throw new ValidationProblemException(errors);
  return Object.fromEntries(entries) as Credentials;
}

const CREDENTIALS_DOC = {
  type: 'object',
  additionalProperties: { type: 'string' },
  example: { appId: 'wx1234567890', appSecret: '••••' },
  description: 'The platform credentials, e.g. {appId, appSecret} or {smtpHost, username, password}. Stored encrypted; never returned.',
} as const;

export class BindAccountRequestDto {
  @ApiProperty({ enum: BINDING_KINDS })
  @IsIn(BINDING_KINDS)
  kind: BindingKind;

  @ApiProperty({ example: 'gh_3f2a1b', maxLength: MAX_ACCOUNT_ID_LENGTH, description: 'The account on the platform (id, address, number)' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ACCOUNT_ID_LENGTH)
  accountId: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_DISPLAY_NAME_LENGTH })
  @IsOptional()
  @ValidateIf((o: BindAccountRequestDto) => o.displayName !== null)
  @IsString()
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  displayName?: string | null;

  @ApiProperty(CREDENTIALS_DOC)
  @IsObject()
  credentials: Record<string, string>;
}

export class RebindAccountRequestDto {
  @ApiPropertyOptional({ maxLength: MAX_ACCOUNT_ID_LENGTH, description: 'Absent: unchanged' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_ACCOUNT_ID_LENGTH)
  accountId?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_DISPLAY_NAME_LENGTH, description: 'Absent: unchanged; null: cleared' })
  @IsOptional()
  @ValidateIf((o: RebindAccountRequestDto) => o.displayName !== null)
  @IsString()
  @MaxLength(MAX_DISPLAY_NAME_LENGTH)
  displayName?: string | null;

  @ApiProperty({ ...CREDENTIALS_DOC, description: 'The new credentials: they replace the old ones entirely.' })
  @IsObject()
  credentials: Record<string, string>;
}

export class AccountBindingIdParams {
  @IsUUID()
  id: string;
}

export class BindAccountResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}

@ApiTags('identity: account bindings')
@ApiBearerAuth()
@Controller('v1/account-bindings')
export class AccountBindingCommandsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(201)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Bind an external platform account to the enterprise; the credentials are stored encrypted (ORG-10)' })
  @ApiCreatedResponse({ type: BindAccountResponseDto })
  async bind(@Body() body: BindAccountRequestDto, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<BindAccountResponseDto> {
    const credentials = checkCredentials(body.credentials);
    const id = randomUUID();
    await this.commandBus.execute(
      new ChangeAccountBindingCommand(
        id,
        { kind: 'BindAccount', platform: body.kind, accountId: body.accountId, displayName: body.displayName ?? null, credentials },
        principal,
        correlationIdOf(request),
      ),
    );
    return { id };
  }

  @Post(':id/rebind')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Rebind: replace a binding’s credentials (and optionally its account id / display name) (ORG-10)' })
  @ApiNoContentResponse()
  async rebind(
    @Param() { id }: AccountBindingIdParams,
    @Body() body: RebindAccountRequestDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    const credentials = checkCredentials(body.credentials);
    await this.commandBus.execute(
      new ChangeAccountBindingCommand(id, { kind: 'RebindAccount', accountId: body.accountId, displayName: body.displayName, credentials }, principal, correlationIdOf(request)),
    );
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions('org:manage')
  @ApiOperation({ summary: 'Unbind: the binding and its stored credentials are no longer usable (ORG-10)' })
  @ApiNoContentResponse()
  async unbind(@Param() { id }: AccountBindingIdParams, @CurrentPrincipal() principal: Principal, @Req() request: FastifyRequest): Promise<void> {
    await this.commandBus.execute(new ChangeAccountBindingCommand(id, { kind: 'UnbindAccount' }, principal, correlationIdOf(request)));
  }
}
