import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Filter, ReadStore } from '@leadstream/read-store';
import { LEADS_READ_STORE } from '../../leads.tokens';
import { LeadSchemaReader } from '../../lead-schema/lead-schema.reader';
import { StatusCatalogueReader } from '../../status/status-catalogue.reader';
import { tenantTimeZone } from '../../tenant/tenant-time-zone';
import { MEMBERS_COLLECTION, membersCollectionOptions, type MemberDocument } from '../../tenant/projections/members.schema';
import { LEAD_LIST_COLLECTION, leadListCollectionOptions, type LeadListDocument } from '../../lead/projections/lead-list/lead-list.schema';
import { compileLeadFilter } from '../../lead-filter/query/lead-filter';
import { resolveSort, sortOf } from '../../lead-filter/query/lead-sort';
import { rowRenderer, WallClock, type ExportCell } from '../domain/export-cells';
import { resolveExportColumns } from './export-columns';
import { ExportLeadsQuery, type PreparedLeadExport } from './export-leads.query';

/** Lead list documents read from the store per batch while exporting. */
export const EXPORT_BATCH_SIZE = 1000;

/** How a member is shown in the owner column: real name with the (unique) account name, else the account name. */
export function memberLabel(member: Pick<MemberDocument, 'accountName' | 'realName'>): string {
  return member.realName ? `${member.realName} (${member.accountName})` : member.accountName;
}

/**
 * LEAD-8: checks an export against the lead schema as it stands (filters, sort and columns — the
 * same language and errors as POST /v1/leads/search) and prepares its rows: a read-store stream of
 * the filtered list in the list's order, each lead rendered as the user sees it.
 */
@QueryHandler(ExportLeadsQuery)
export class ExportLeadsHandler implements IQueryHandler<ExportLeadsQuery> {
  constructor(
    @Inject(LEADS_READ_STORE) private readonly store: ReadStore,
    private readonly schemas: LeadSchemaReader,
    private readonly statuses: StatusCatalogueReader,
  ) {}

  async execute({ tenantId, request }: ExportLeadsQuery): Promise<PreparedLeadExport> {
    const schema = await this.schemas.get(tenantId);
    const timeZone = await tenantTimeZone(this.store, tenantId);
    const parts: Filter[] = [{ tenantId }];
    for (const { definition, prefix } of request.filters) {
      const compiled = compileLeadFilter(definition, schema, timeZone, prefix);
      if (Object.keys(compiled).length > 0) parts.push(compiled);
    }
    const sort = resolveSort(request.sort, schema, request.sortPrefix);
    const columns = resolveExportColumns(request.columns, schema, request.columnsPrefix);
    const filter: Filter = parts.length === 1 ? parts[0]! : { $and: parts };

    const catalogue = await this.statuses.get(tenantId);
    const statusNames = new Map(catalogue.statuses.map((s) => [s.id, s.name]));
    const memberNames = new Map<string, string>();
    if (columns.some((c) => c.spec.kind === 'system' && c.spec.key === 'owner')) {
      const members = await this.store.collection<MemberDocument>(MEMBERS_COLLECTION, membersCollectionOptions).find({ tenantId });
      for (const m of members) memberNames.set(m._id, memberLabel(m));
    }
    const render = rowRenderer(
      columns.map((c) => c.spec),
      { statusNames, memberNames, clock: new WallClock(timeZone) },
    );
    const leads = this.store.collection<LeadListDocument>(LEAD_LIST_COLLECTION, leadListCollectionOptions);
    const storeSort = sortOf(sort);
    return {
      columns,
      timeZone,
      sort: { field: sort.field.key, direction: sort.direction === 1 ? 'asc' : 'desc' },
      async *rows(onRow?: () => void): AsyncGenerator<ExportCell[]> {
        for await (const doc of leads.stream(filter, { sort: storeSort, batchSize: EXPORT_BATCH_SIZE })) {
          const row = render(doc);
          onRow?.();
          yield row;
        }
      },
    };
  }
}
