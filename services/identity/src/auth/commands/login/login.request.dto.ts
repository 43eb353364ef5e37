import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

const byAccountNumber = (o: LoginRequestDto) => o.accountNumber !== undefined;
const byName = (o: LoginRequestDto) => !byAccountNumber(o);
/** accountNumber is validated when given, and also when nothing identifies the account (so the 400 names every way in). */
const accountNumberChecked = (o: LoginRequestDto) => byAccountNumber(o) || (o.enterpriseId === undefined && o.accountName === undefined);

/** Sign in either with enterpriseId + accountName or with accountNumber (ORG-3), plus the password. */
export class LoginRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'With accountName; leave out when signing in by accountNumber' })
  @ValidateIf(byName)
  @IsUUID()
  enterpriseId?: string;

  @ApiPropertyOptional({ example: 'admin', description: 'With enterpriseId; leave out when signing in by accountNumber' })
  @ValidateIf(byName)
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  accountName?: string;

  @ApiPropertyOptional({ example: '80012345', description: 'The member’s account number (numeric, unique across the platform); instead of enterpriseId + accountName' })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value))
  @ValidateIf(accountNumberChecked)
  @IsString()
  @Matches(/^[0-9]{5,12}$/, { message: 'accountNumber must be 5-12 digits' })
  accountNumber?: string;

  @ApiProperty({ example: 'correct horse battery staple' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({
    enum: ['api', 'client'],
    default: 'api',
    description: '`client`: a token for the customer-service client too (aud `leadstream-client` besides `leadstream-api`); refused for marketing-only members',
  })
  @IsOptional()
  @IsIn(['api', 'client'])
  audience?: 'api' | 'client';
}

export class LoginResponseDto {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' }) expiresIn: number;
  @ApiProperty({ description: 'Opaque; exchange at POST /v1/auth/refresh (rotated on every use, 30 days from sign-in)' }) refreshToken: string;
}

export class RefreshTokenRequestDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  refreshToken: string;
}
