import type { Provider, Type } from '@nestjs/common';

/** Controllers and providers of this slice, registered by LeadsModule. */
export const leadViewControllers: Type[] = [];
export const leadViewProviders: Provider[] = [];
