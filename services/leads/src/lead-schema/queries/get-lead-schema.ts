import { Controller, Get } from '@nestjs/common';
import { Query, QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { SYSTEM_FIELD_LABELS } from '../domain/lead-schema.decider';
import { CUSTOM_FIELD_TYPES, SYSTEM_FIELD_KEYS, type CustomFieldType, type FieldAttributes, type SystemFieldKey } from '../domain/lead-schema.types';
import { LeadSchemaReader } from '../lead-schema.reader';

export class SystemFieldView {
  @ApiProperty({ enum: SYSTEM_FIELD_KEYS }) key: SystemFieldKey;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'Hidden in the lead list by default' }) hidden: boolean;
}

export class FieldOptionView {
  @ApiProperty({ format: 'uuid', description: 'Stable: values hold it' }) id: string;
  @ApiProperty() label: string;
  @ApiProperty({ description: 'A retired option can no longer be chosen; leads holding it keep it' }) retired: boolean;
}

export class FieldAttributesView {
  @ApiPropertyOptional({ description: 'text, longText' }) maxLength?: number;
  @ApiPropertyOptional({ description: 'integer, real (inclusive)' }) min?: number;
  @ApiPropertyOptional({ description: 'integer, real (inclusive)' }) max?: number;
  @ApiPropertyOptional({ description: 'real: digits after the decimal point' }) precision?: number;
  @ApiPropertyOptional({ type: [FieldOptionView], description: 'singleChoice, multiChoice: in display order, retired ones included' }) options?: FieldOptionView[];
  @ApiPropertyOptional({ description: 'multiChoice' }) maxSelected?: number;
  @ApiPropertyOptional({ description: 'date: YYYY-MM-DD; dateTime: ISO-8601 UTC instant (inclusive)' }) minDate?: string;
  @ApiPropertyOptional({ description: 'date: YYYY-MM-DD; dateTime: ISO-8601 UTC instant (inclusive)' }) maxDate?: string;
  @ApiPropertyOptional({ description: 'image: largest upload in bytes' }) maxBytes?: number;
}

export class CustomFieldView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: 'The API name values are given under' }) key: string;
  @ApiProperty() label: string;
  @ApiProperty({ enum: CUSTOM_FIELD_TYPES }) type: CustomFieldType;
  @ApiProperty() required: boolean;
  @ApiProperty({ description: 'Hidden in the lead list by default' }) hidden: boolean;
  @ApiProperty({ type: FieldAttributesView }) attributes: FieldAttributesView;
}

export class LeadSchemaView {
  @ApiProperty({ type: [SystemFieldView] }) systemFields: SystemFieldView[];
  @ApiProperty({ type: [CustomFieldView], description: 'Live custom fields in display order (deleted ones are not listed)' }) customFields: CustomFieldView[];
}

function attributesView(attributes: FieldAttributes): FieldAttributesView {
  const { options, ...scalar } = attributes;
  return options ? { options: options.map((o) => ({ id: o.id, label: o.label, retired: o.retired })), ...scalar } : { ...scalar };
}

export class GetLeadSchemaQuery extends Query<LeadSchemaView> {
  constructor(readonly tenantId: string) {
    super();
  }
}

/** Answers from the schema's own event stream (through the reader's cache): current right after a write. */
@QueryHandler(GetLeadSchemaQuery)
export class GetLeadSchemaHandler implements IQueryHandler<GetLeadSchemaQuery> {
  constructor(private readonly reader: LeadSchemaReader) {}

  async execute(query: GetLeadSchemaQuery): Promise<LeadSchemaView> {
    const schema = await this.reader.get(query.tenantId);
    return {
      systemFields: schema.systemFields.map((s) => ({ key: s.key, label: SYSTEM_FIELD_LABELS[s.key], hidden: s.hidden })),
      customFields: schema.customFields
        .filter((f) => !f.deleted)
        .map((f) => ({
          id: f.id,
          key: f.key,
          label: f.label,
          type: f.type,
          required: f.required,
          hidden: f.hidden,
          attributes: attributesView(f.attributes),
        })),
    };
  }
}

@ApiTags('lead-schema')
@ApiBearerAuth()
@Controller('v1/lead-schema')
export class GetLeadSchemaHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('leads:read')
  @ApiOperation({ summary: "The enterprise's lead object schema: system fields with their visibility, live custom fields in order (LEAD-4)" })
  @ApiOkResponse({ type: LeadSchemaView })
  get(@CurrentPrincipal() principal: Principal): Promise<LeadSchemaView> {
    return this.queryBus.execute(new GetLeadSchemaQuery(principal.tenantId));
  }
}
