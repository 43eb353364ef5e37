import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { DepartmentView } from '../department.view';
import { ListDepartmentsQuery } from './list-departments.query';

export class ListDepartmentsRequestDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the direct children of this department' })
  @IsOptional()
  @IsUUID()
  parentId?: string;

  @ApiPropertyOptional({ description: 'Only root departments' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  roots?: boolean;

  @ApiPropertyOptional({ description: 'Case-insensitive text in the name' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export class DepartmentListPageDto {
  @ApiProperty({ type: [DepartmentView] }) items: DepartmentView[];
  @ApiProperty() total: number;
  @ApiProperty({ type: String, nullable: true }) nextCursor: string | null;
}

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class ListDepartmentsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'List the department tree as a flat list with parentId and depth, oldest first (ORG-4)' })
  @ApiOkResponse({ type: DepartmentListPageDto })
  list(@QueryParams() params: ListDepartmentsRequestDto, @CurrentPrincipal() principal: Principal): Promise<DepartmentListPageDto> {
    return this.queryBus.execute(
      new ListDepartmentsQuery(
        principal.tenantId,
        { memberId: principal.memberId, isAdmin: principal.isAdmin },
        { parentId: params.parentId, rootsOnly: params.roots, q: params.q },
        params.limit ?? 100,
        params.cursor,
      ),
    );
  }
}
