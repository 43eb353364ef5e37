import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateMemberRequestDto {
  @ApiProperty({ example: 'li.lei', description: 'Unique inside the enterprise (case-insensitive); letters, digits, . _ @ -' })
  @IsString()
  @Matches(/^[\p{L}\p{N}._@-]{1,64}$/u, { message: 'accountName must be 1-64 letters, digits or . _ @ -' })
  accountName: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;

  @ApiPropertyOptional({ example: 'Li Lei', description: 'Shown internally' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  realName?: string;

  @ApiPropertyOptional({ example: 'Lily', description: 'External nickname, shown to customers' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  nickname?: string;

  @ApiPropertyOptional({ example: '80012345', description: '5-12 digits, unique across the platform, never changed; proposed when absent' })
  @IsOptional()
  @Matches(/^[0-9]{5,12}$/, { message: 'accountNumber must be 5-12 digits' })
  accountNumber?: string;

  @ApiPropertyOptional({ default: false, description: 'Marketing-only member (ORG-3)' })
  @IsOptional()
  @IsBoolean()
  marketingOnly?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Grant the management permission (administrator only, ORG-7)' })
  @IsOptional()
  @IsBoolean()
  manager?: boolean;

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'The member’s departments (ORG-5); each must exist' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  departmentIds?: string[];
}

export class CreateMemberResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '80012345' }) accountNumber: string;
}
