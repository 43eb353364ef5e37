import type { DomainEvent } from '@leadstream/event-sourcing';

/** One stream per export: `leads.export-<exportId>`. */
export const LEAD_EXPORT_CATEGORY = 'leads.export';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How an export ended: every row sent, the client went away first, or the server failed mid-way. */
export type ExportOutcome = 'completed' | 'aborted' | 'failed';

/**
 * Recorded before the first byte leaves: who exported which part of the lead list (the filters as
 * given, a saved view's included), in which order, which columns, in which format.
 */
export type LeadExportStarted = DomainEvent<
  'leads.LeadExportStarted',
  {
    readonly exportId: string;
    readonly enterpriseId: string;
    readonly requestedBy: string;
    readonly format: ExportFormat;
    readonly filters: readonly { readonly conditions: readonly unknown[]; readonly match: 'all' | 'any'; readonly q?: string }[];
    readonly viewId?: string;
    readonly sort: { readonly field: string; readonly direction: 'asc' | 'desc' };
    /** Column keys in file order. */
    readonly columns: readonly string[];
    readonly startedAt: string;
  }
>;

/** Recorded when the response is over: how many lead rows were sent (the header row not counted). */
export type LeadExportFinished = DomainEvent<
  'leads.LeadExportFinished',
  {
    readonly exportId: string;
    readonly enterpriseId: string;
    readonly outcome: ExportOutcome;
    readonly rows: number;
    readonly finishedAt: string;
  }
>;

export type LeadExportEvent = LeadExportStarted | LeadExportFinished;
