import { Query } from '@nestjs/cqrs';
import type { LeadFilterDefinition } from '../../lead-filter/query/lead-filter';
import type { LeadSortDefinition } from '../../lead-filter/query/lead-sort';
import type { ExportCell } from '../domain/export-cells';
import type { ExportFormat } from '../domain/lead-export.events';
import type { ExportColumn } from './export-columns';

export interface LeadExportRequest {
  /** Filters that must all hold (a saved view's and the request's), each with the prefix its errors carry. */
  readonly filters: readonly { readonly definition: LeadFilterDefinition; readonly prefix: string }[];
  readonly sort?: LeadSortDefinition;
  readonly sortPrefix: string;
  readonly columns?: readonly unknown[];
  readonly columnsPrefix: string;
  readonly format: ExportFormat;
}

/** A checked export, ready to stream: nothing has been read from the lead list yet. */
export interface PreparedLeadExport {
  readonly columns: readonly ExportColumn[];
  readonly sort: { readonly field: string; readonly direction: 'asc' | 'desc' };
  /** The enterprise's time zone: date-times are shown in it, and the file name's time too. */
  readonly timeZone: string;
  /** Rendered rows, read lazily from the read store in the export's order; `onRow` counts them. */
  rows(onRow?: () => void): AsyncIterable<ExportCell[]>;
}

export class ExportLeadsQuery extends Query<PreparedLeadExport> {
  constructor(
    readonly tenantId: string,
    readonly request: LeadExportRequest,
  ) {
    super();
  }
}
