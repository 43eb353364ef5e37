import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class EnterpriseAdminDto {
  @ApiProperty({ example: 'admin', description: 'Unique inside the enterprise; letters, digits, . _ @ -' })
  @IsString()
  @Matches(/^[\p{L}\p{N}._@-]{1,64}$/u, { message: 'accountName must be 1-64 letters, digits or . _ @ -' })
  accountName: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ example: 'Li Lei' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  realName?: string;
}

export class CreateEnterpriseRequestDto {
  @ApiProperty({ example: 'Acme Trading Co.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'Asia/Shanghai', description: 'IANA time zone for day buckets; default Asia/Shanghai' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timeZone?: string;

  @ApiPropertyOptional({ example: 100, description: 'How many members the enterprise may hold; default 100' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  seatQuota?: number;

  @ApiPropertyOptional({ example: true, description: 'false creates the enterprise "in beta": its members cannot sign in until an operator enables it (ORG-3); default true' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ type: EnterpriseAdminDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => EnterpriseAdminDto)
  admin: EnterpriseAdminDto;
}

export class CreateEnterpriseResponseDto {
  @ApiProperty({ format: 'uuid' }) enterpriseId: string;
  @ApiProperty({ format: 'uuid' }) adminMemberId: string;
  @ApiProperty({ example: '80012345', description: 'The administrator’s account number (numeric, unique across the platform)' })
  adminAccountNumber: string;
}
