import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, RequirePermissions, type Principal } from '@leadstream/platform';
import { DepartmentIdParams } from '../../commands/department-id.params';
import { DepartmentView } from '../department.view';
import { GetDepartmentQuery } from './get-department.query';

@ApiTags('identity: departments')
@ApiBearerAuth()
@Controller('v1/departments')
export class GetDepartmentHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @RequirePermissions('org:read')
  @ApiOperation({ summary: 'Read one department (ORG-4)' })
  @ApiOkResponse({ type: DepartmentView })
  get(@Param() { id }: DepartmentIdParams, @CurrentPrincipal() principal: Principal): Promise<DepartmentView> {
    return this.queryBus.execute(new GetDepartmentQuery(principal.tenantId, { memberId: principal.memberId, isAdmin: principal.isAdmin }, id));
  }
}
