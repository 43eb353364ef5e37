import type { Provider, Type } from '@nestjs/common';
import { ChangeLeadViewHandler } from './commands/lead-view.handler';
import { LeadViewHttpController } from './commands/lead-view.http.controller';
import { LeadViewReader } from './lead-view.reader';
import { LeadViewQueriesHttpController } from './queries/lead-view-queries.http.controller';

/** Controllers and providers of the saved views slice (LEAD-9), registered by LeadsModule. */
export const leadViewControllers: Type[] = [LeadViewQueriesHttpController, LeadViewHttpController];
export const leadViewProviders: Provider[] = [LeadViewReader, ChangeLeadViewHandler];
