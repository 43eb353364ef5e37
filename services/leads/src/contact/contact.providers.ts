import type { Provider, Type } from '@nestjs/common';
import { GetContactHandler } from './queries/get-contact/get-contact.handler';
import { GetContactHttpController } from './queries/get-contact/get-contact.http.controller';
import { ListContactLeadsHandler } from './queries/list-contact-leads/list-contact-leads.handler';
import { ListContactLeadsHttpController } from './queries/list-contact-leads/list-contact-leads.http.controller';
import { ListContactsHandler } from './queries/list-contacts/list-contacts.handler';
import { ListContactsHttpController } from './queries/list-contacts/list-contacts.http.controller';

/** Contacts (LEAD-3), registered by LeadsModule; the projection is in leadsProjections. */
export const contactControllers: Type[] = [ListContactsHttpController, GetContactHttpController, ListContactLeadsHttpController];
export const contactProviders: Provider[] = [ListContactsHandler, GetContactHandler, ListContactLeadsHandler];
