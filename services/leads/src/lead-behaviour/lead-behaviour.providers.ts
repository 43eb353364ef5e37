import type { Type } from '@nestjs/common';
import { RecordBehaviourHttpController } from './record-behaviour.http.controller';

/** Lead behaviours (LEAD-12), registered by LeadsModule. */
export const leadBehaviourControllers: Type[] = [RecordBehaviourHttpController];
