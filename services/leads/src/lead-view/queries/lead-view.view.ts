import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { LEAD_VIEW_VISIBILITIES } from '../domain/lead-view.events';
import { LeadViewFilterDto, LeadViewSortDto } from '../commands/lead-view.request.dto';
import type { LeadViewDocument } from '../projections/lead-views.schema';
import type { VisibleLeadView } from '../lead-view.reader';

/** A saved lead view as the API shows it. */
export class LeadViewDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: LEAD_VIEW_VISIBILITIES }) visibility: string;
  @ApiProperty({ format: 'uuid', description: 'The member who created the view' }) ownerId: string;
  @ApiProperty({ type: LeadViewFilterDto }) filter: Record<string, unknown>;
  @ApiPropertyOptional({ type: LeadViewSortDto, nullable: true }) sort: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: [String], nullable: true }) columns: string[] | null;
  @ApiProperty({ description: 'Changes with every save; also the ETag, for If-Match on PUT and DELETE' }) version: number;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class LeadViewPageDto {
  @ApiProperty({ type: [LeadViewDto] }) items: LeadViewDto[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

export function viewFromState(state: VisibleLeadView): LeadViewDto {
  const d = state.definition;
  return {
    id: state.viewId,
    name: d.name,
    visibility: d.visibility,
    ownerId: state.ownerId,
    filter: { ...d.filter },
    sort: d.sort ? { ...d.sort } : null,
    columns: d.columns ? [...d.columns] : null,
    version: state.version,
    createdAt: state.createdAt!,
    updatedAt: state.updatedAt!,
  };
}

export function viewFromDocument(doc: LeadViewDocument): LeadViewDto {
  return {
    id: doc._id,
    name: doc.name,
    visibility: doc.visibility,
    ownerId: doc.ownerId,
    filter: { ...doc.filter },
    sort: doc.sort ? { ...doc.sort } : null,
    columns: doc.columns,
    version: doc.version,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
