import type { Provider, Type } from '@nestjs/common';
import { ExportLeadsHandler } from './export-leads/export-leads.handler';
import { ExportLeadsHttpController } from './export-leads/export-leads.http.controller';

/** Controllers and providers of the lead export slice (LEAD-8), registered by LeadsModule. */
export const leadExportControllers: Type[] = [ExportLeadsHttpController];
export const leadExportProviders: Provider[] = [ExportLeadsHandler];
