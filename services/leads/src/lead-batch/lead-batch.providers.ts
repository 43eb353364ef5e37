import type { Provider, Type } from '@nestjs/common';
import { RequestLeadBatchHttpController } from './commands/request-lead-batch.http.controller';
import { LeadBatchRunner } from './lead-batch.runner';
import { LeadBatchHttpController } from './queries/lead-batch.http.controller';

/** Controllers and providers of the batch slice (LEAD-6), registered by LeadsModule. */
export const leadBatchControllers: Type[] = [RequestLeadBatchHttpController, LeadBatchHttpController];
export const leadBatchProviders: Provider[] = [LeadBatchRunner];
