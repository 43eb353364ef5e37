import type { Type } from '@nestjs/common';
import { LeadTimelineHttpController } from './lead-timeline.http.controller';

/** The lead profile timeline (LEAD-12), registered by LeadsModule. */
export const leadTimelineControllers: Type[] = [LeadTimelineHttpController];
