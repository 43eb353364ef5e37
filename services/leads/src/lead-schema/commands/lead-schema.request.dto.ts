import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { LEAD_SCHEMA_LIMITS } from '../domain/field-attributes';
import { CUSTOM_FIELD_TYPES, SYSTEM_FIELD_KEYS } from '../domain/lead-schema.types';

/** A custom field id (UUID); a system field's key is let through so that the refusal can say why. */
const FIELD_ID = new RegExp(`^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|${SYSTEM_FIELD_KEYS.join('|')})$`, 'i');

export class FieldIdParams {
  @Matches(FIELD_ID, { message: 'id must be the UUID of a custom field' })
  id: string;
}

export class FieldOptionParams extends FieldIdParams {
  @IsUUID()
  optionId: string;
}

export class SystemFieldKeyParams {
  @IsString()
  @MaxLength(64)
  key: string;
}

const ATTRIBUTES_DESCRIPTION =
  'Attributes of the field type, only those of its type: text/longText {maxLength}; integer/real {min, max}, real also {precision}; ' +
  'singleChoice {options}; multiChoice {options, maxSelected}; date {minDate, maxDate} as YYYY-MM-DD; dateTime {minDate, maxDate} as ISO-8601 instants; ' +
  'image {maxBytes}. On a create, options are a list of labels (`[{ "label": "Retail" }]` or `["Retail"]`); each gets an id. See the service README.';

export class CreateCustomFieldRequestDto {
  @ApiProperty({ example: 'budget', pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'Stable API name; never changes' })
  @IsString()
  @MaxLength(200)
  key: string;

  @ApiProperty({ example: 'Budget', minLength: 1, maxLength: LEAD_SCHEMA_LIMITS.labelMaxLength })
  @IsString()
  @MaxLength(1000)
  label: string;

  @ApiProperty({ enum: CUSTOM_FIELD_TYPES, description: 'Never changes' })
  @IsIn(CUSTOM_FIELD_TYPES)
  type: (typeof CUSTOM_FIELD_TYPES)[number];

  @ApiPropertyOptional({ default: false, description: 'Every new lead must have a value' })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Hidden in the lead list by default' })
  @IsOptional()
  @IsBoolean()
  hidden?: boolean;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: ATTRIBUTES_DESCRIPTION, example: { maxLength: 50 } })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;
}

export class UpdateCustomFieldRequestDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: LEAD_SCHEMA_LIMITS.labelMaxLength })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  label?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  hidden?: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Attributes to change, merged over the current ones and validated for the field type; null removes a bound or restores a default. Options change through the option routes.',
  })
  @IsOptional()
  @IsObject()
  attributes?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'The key never changes: accepted only when equal to the current one' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  key?: string;

  @ApiPropertyOptional({ description: 'The type never changes: accepted only when equal to the current one' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  type?: string;
}

export class ReorderCustomFieldsRequestDto {
  @ApiProperty({ type: [String], description: 'Every custom field id (deleted ones excepted), in the new order' })
  @IsArray()
  @ArrayMaxSize(LEAD_SCHEMA_LIMITS.maxLiveCustomFields)
  @IsUUID(undefined, { each: true })
  fieldIds: string[];
}

export class SystemFieldVisibilityRequestDto {
  @ApiProperty({ description: 'Hidden in the lead list by default' })
  @IsBoolean()
  hidden: boolean;
}

export class FieldOptionLabelRequestDto {
  @ApiProperty({ example: 'Retail', minLength: 1, maxLength: LEAD_SCHEMA_LIMITS.optionLabelMaxLength })
  @IsString()
  @MaxLength(1000)
  label: string;
}

export class ReorderFieldOptionsRequestDto {
  @ApiProperty({ type: [String], description: 'Every option id of the field (retired ones included), in the new order' })
  @IsArray()
  @ArrayMaxSize(10_000)
  @IsUUID(undefined, { each: true })
  optionIds: string[];
}

export class IdResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
}
