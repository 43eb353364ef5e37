import type { Provider, Type } from '@nestjs/common';
import { LeadAttributionTrendHandler } from './queries/lead-attribution-trend/lead-attribution-trend.handler';
import { LeadAttributionTrendHttpController } from './queries/lead-attribution-trend/lead-attribution-trend.http.controller';
import { LeadStatusTrendHandler } from './queries/lead-status-trend/lead-status-trend.handler';
import { LeadStatusTrendHttpController } from './queries/lead-status-trend/lead-status-trend.http.controller';

/** The lead overview's source, activity and status trends (LEAD-11), registered by LeadsModule. */
export const leadOverviewControllers: Type[] = [LeadAttributionTrendHttpController, LeadStatusTrendHttpController];
export const leadOverviewProviders: Provider[] = [LeadAttributionTrendHandler, LeadStatusTrendHandler];
