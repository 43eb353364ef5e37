import type { Provider, Type } from '@nestjs/common';
import { LEAD_BATCH_SELECTOR } from '../lead-batch/lead-batch.selector';
import { LeadFilterBatchSelector } from './lead-filter.selector';
import { SearchLeadsHandler } from './search-leads/search-leads.handler';
import { SearchLeadsHttpController } from './search-leads/search-leads.http.controller';

/** Controllers and providers of the list filter slice (LEAD-9), registered by LeadsModule. */
export const leadFilterControllers: Type[] = [SearchLeadsHttpController];
export const leadFilterProviders: Provider[] = [SearchLeadsHandler, { provide: LEAD_BATCH_SELECTOR, useClass: LeadFilterBatchSelector }];
