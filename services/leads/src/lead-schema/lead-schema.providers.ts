import type { Provider, Type } from '@nestjs/common';
import { LeadSchemaReader } from './lead-schema.reader';

/** Controllers and providers of this slice, registered by LeadsModule. */
export const leadSchemaControllers: Type[] = [];
export const leadSchemaProviders: Provider[] = [LeadSchemaReader];
