import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { LeadListDocument } from '../projections/lead-list/lead-list.schema';

export class LeadView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiPropertyOptional({ type: String, nullable: true }) name: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) phone: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) qq: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) email: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) company: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) source: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) activityId: string | null;
  @ApiProperty({ type: [String] }) tags: string[];
  @ApiProperty({ format: 'uuid' }) createdBy: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export function toLeadView(doc: LeadListDocument): LeadView {
  return {
    id: doc._id,
    name: doc.name,
    phone: doc.phone,
    qq: doc.qq,
    email: doc.email,
    company: doc.company,
    source: doc.source,
    activityId: doc.activityId,
    tags: doc.tags,
    createdBy: doc.createdBy,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
