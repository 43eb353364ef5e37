import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { BATCH_ACTIONS, MAX_BATCH } from './manage-members.command';

export class MemberIdParams {
  @IsUUID()
  id: string;
}

export class BatchActionParams {
  @IsIn(BATCH_ACTIONS)
  action: (typeof BATCH_ACTIONS)[number];
}

export class EditMemberRequestDto {
  @ApiPropertyOptional({ type: String, nullable: true, description: 'Shown internally; null or "" clears it' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(100)
  realName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'External nickname shown to customers; null or "" clears it' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(100)
  nickname?: string | null;
}

export class ResetPasswordRequestDto {
  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password: string;
}

export class SetManagementRequestDto {
  @ApiProperty({ description: 'Grant (true) or revoke (false) the management permission (administrator only)' })
  @IsBoolean()
  manager: boolean;
}

export class MoveMemberRequestDto {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: 50, description: 'The member’s departments (the whole set; [] for none); each must exist' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  departmentIds: string[];
}

export class BatchRequestDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: MAX_BATCH })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH)
  @IsUUID('all', { each: true })
  ids: string[];

  @ApiPropertyOptional({ description: 'reset-password: the new password', minLength: 8, maxLength: 128 })
  @IsOptional()
  @IsString()
  @MinLength(8)
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'edit' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(100)
  realName?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'edit' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(100)
  nickname?: string | null;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: 50, description: 'move: the departments (the whole set; [] for none)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  departmentIds?: string[];
}

export class MemberActionErrorDto {
  @ApiProperty() status: number;
  @ApiProperty() code: string;
  @ApiProperty() detail: string;
}

export class MemberActionResultDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() ok: boolean;
  @ApiPropertyOptional({ type: MemberActionErrorDto }) error?: MemberActionErrorDto;
}

export class BatchResponseDto {
  @ApiProperty({ type: [MemberActionResultDto] }) results: MemberActionResultDto[];
  @ApiProperty() succeeded: number;
  @ApiProperty() failed: number;
}
