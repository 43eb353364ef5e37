import type { Provider, Type } from '@nestjs/common';
import { ChangeLeadSchemaHandler } from './commands/lead-schema.handler';
import { LeadSchemaHttpController } from './commands/lead-schema.http.controller';
import { LeadSchemaReader } from './lead-schema.reader';
import { GetLeadSchemaHandler, GetLeadSchemaHttpController } from './queries/get-lead-schema';

/** Controllers and providers of this slice, registered by LeadsModule. */
export const leadSchemaControllers: Type[] = [GetLeadSchemaHttpController, LeadSchemaHttpController];
export const leadSchemaProviders: Provider[] = [LeadSchemaReader, ChangeLeadSchemaHandler, GetLeadSchemaHandler];
