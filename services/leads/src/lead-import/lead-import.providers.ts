import type { Provider, Type } from '@nestjs/common';
import { LEADS_OPTIONS, type LeadsOptions } from '../leads.tokens';
import { ChangeLeadImportHandler, ChangeLeadImportMappingHandler } from './commands/lead-import.handler';
import { LeadImportHttpController, LeadImportMappingHttpController } from './commands/lead-import.http.controller';
import { IMPORT_FILE_STORE, ImportFileStore } from './import-file-store';
import { LeadImportBodyParser } from './lead-import-body-parser';
import { LeadImportMappingReader } from './lead-import-mapping.reader';
import { LeadImportRunner } from './lead-import.runner';
import { LeadImportMappingQueriesHttpController, LeadImportQueriesHttpController } from './queries/lead-import-queries.http.controller';
import { LeadImportQueries } from './queries/lead-import.queries';

/** Controllers and providers of the lead import slice (LEAD-7), registered by LeadsModule. */
export const leadImportControllers: Type[] = [LeadImportHttpController, LeadImportQueriesHttpController, LeadImportMappingHttpController, LeadImportMappingQueriesHttpController];
export const leadImportProviders: Provider[] = [
  { provide: IMPORT_FILE_STORE, inject: [LEADS_OPTIONS], useFactory: (options: LeadsOptions) => new ImportFileStore(options.importsDir) },
  LeadImportBodyParser,
  LeadImportMappingReader,
  LeadImportQueries,
  LeadImportRunner,
  ChangeLeadImportHandler,
  ChangeLeadImportMappingHandler,
];
