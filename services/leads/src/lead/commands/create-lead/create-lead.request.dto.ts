import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** LEAD-1: at least one of phone, qq and email is required (checked by the domain, naming all three). */
export class CreateLeadRequestDto {
  @ApiPropertyOptional({ example: 'Han Meimei' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: '+86 138 0013 8000', description: '5-15 digits, optional +; spaces, dashes, dots and brackets are ignored' })
  @IsOptional()
  @IsString()
  @Matches(/^\+?[0-9\s\-.()]{5,32}$/, { message: 'phone must be 5-15 digits, optionally starting with +' })
  phone?: string;

  @ApiPropertyOptional({ example: '10001', description: 'QQ number: 5-12 digits' })
  @IsOptional()
  @IsString()
  @Matches(/^[1-9][0-9]{4,11}$/, { message: 'qq must be 5-12 digits not starting with 0' })
  qq?: string;

  @ApiPropertyOptional({ example: 'han@example.com' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  email?: string;

  @ApiPropertyOptional({ example: 'Acme Trading Co.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  company?: string;

  @ApiPropertyOptional({ example: 'Purchasing manager' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  title?: string;

  @ApiPropertyOptional({ example: 'expo-2026', description: 'Channel the lead came from' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source?: string;

  @ApiPropertyOptional({ description: 'Activity that brought the lead (CAMP-2)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  activityId?: string;

  @ApiPropertyOptional({ type: [String], example: ['vip'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: "Lead status (LEAD-5); default: the catalogue's first status that is not retired" })
  @IsOptional()
  @IsUUID()
  statusId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Owner: an active member of the enterprise (needs leads:assign)' })
  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { industry: '8d0c…option id', employees: 120 },
    description: 'Custom-field values by field key, checked against the lead object schema (LEAD-4); see GET /v1/lead-schema',
  })
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;
}

export class CreateLeadResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}
