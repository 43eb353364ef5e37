import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LeadSchema } from '../../lead-schema/domain/lead-schema.types';
import { customFieldsView } from '../../lead-schema/domain/validate-custom-fields';
import type { LeadListDocument } from '../projections/lead-list/lead-list.schema';

export class LeadView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ type: String, nullable: true }) name: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) phone: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) qq: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) email: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) company: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) title: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) source: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) activityId: string | null;
  @ApiProperty({ format: 'uuid', description: 'Lead status id from the enterprise catalogue (GET /v1/lead-statuses)' }) statusId: string;
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'Member the lead is assigned to' }) ownerId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiPropertyOptional({ type: Number, nullable: true, description: 'Lead score; null until scored' }) score: number | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Custom-field values keyed by field key, in schema order; fields without a value and deleted fields are absent',
  })
  fields: Record<string, unknown>;
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

/** The lead as the API shows it: custom fields by key, as the schema stands now (deleted fields hidden). */
export function toLeadView(doc: LeadListDocument, schema: Pick<LeadSchema, 'customFields'>): LeadView {
  return {
    id: doc._id,
    name: doc.name,
    phone: doc.phone,
    qq: doc.qq,
    email: doc.email,
    company: doc.company,
    title: doc.title ?? null,
    source: doc.source,
    activityId: doc.activityId,
    statusId: doc.statusId,
    ownerId: doc.ownerId ?? null,
    tags: doc.tags,
    score: doc.score ?? null,
    fields: customFieldsView(schema, doc.fields ?? {}),
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
