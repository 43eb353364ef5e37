import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';

export class LeadIdParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

/** PATCH /v1/leads/{id}: only the given properties change; null clears. */
export class EditLeadRequestDto {
  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: '5-15 digits, optional +' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9\s\-.()]{5,32}$/, { message: 'phone must be 5-15 digits, optionally starting with +' })
  phone?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9][0-9]{4,11}$/, { message: 'qq must be 5-12 digits not starting with 0' })
  qq?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string | null;

  @ApiPropertyOptional({ type: String, nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Custom-field values by field key; null clears one' })
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;
}

export class SetLeadStatusRequestDto {
  @ApiProperty({ format: 'uuid', description: 'A status of the catalogue that is not retired' })
  @IsUUID()
  statusId: string;
}

export class ChangeLeadTagsRequestDto {
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  add?: string[];

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  remove?: string[];
}

export class AssignLeadRequestDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'An active member of the enterprise; null unassigns' })
  @ValidateIf((_o, v) => v !== null)
  @IsUUID()
  ownerId: string | null;
}

export class LeadOperationResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['applied', 'unchanged'], description: "'unchanged': the lead already was that way; nothing was recorded" }) outcome: 'applied' | 'unchanged';
}

export class LeadDataKeyResponseDto {
  @ApiProperty({ format: 'uuid' }) leadId: string;
  @ApiProperty({ enum: ['A256GCM'] }) alg: 'A256GCM';
  @ApiProperty({ description: 'base64 of the 32-byte AES key; do not store it: it is destroyed when the lead is deleted' }) key: string;
}
