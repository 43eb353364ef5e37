import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { CreateLeadHandler } from './lead/commands/create-lead/create-lead.handler';
import { CreateLeadHttpController } from './lead/commands/create-lead/create-lead.http.controller';
import { GetLeadHandler } from './lead/queries/get-lead/get-lead.handler';
import { GetLeadHttpController } from './lead/queries/get-lead/get-lead.http.controller';
import { ListLeadsHandler } from './lead/queries/list-leads/list-leads.handler';
import { ListLeadsHttpController } from './lead/queries/list-leads/list-leads.http.controller';
import { NewLeadsTrendHandler } from './lead-overview/queries/new-leads-trend/new-leads-trend.handler';
import { NewLeadsTrendHttpController } from './lead-overview/queries/new-leads-trend/new-leads-trend.http.controller';
import { LeadsRuntime } from './leads.runtime';
import { ASSET_INFO_SOURCE, CUSTOM_FIELD_RULES, LeadOperations, type AssetInfoSource, type CustomFieldRules } from './lead/lead-operations';
import { LeadSchemaReader } from './lead-schema/lead-schema.reader';
import { validateCustomFields } from './lead-schema/domain/validate-custom-fields';
import { streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import { OperateLeadHandler } from './lead/commands/operate-lead/operate-lead.handler';
import { OperateLeadHttpController } from './lead/commands/operate-lead/operate-lead.http.controller';
import { StatusCatalogueReader } from './status/status-catalogue.reader';
import { ChangeStatusCatalogueHandler } from './status/commands/status-catalogue.handler';
import { StatusCatalogueHttpController } from './status/commands/status-catalogue.http.controller';
import { ListLeadStatusesHandler, ListLeadStatusesHttpController } from './status/queries/list-lead-statuses';
import { leadBatchControllers, leadBatchProviders } from './lead-batch/lead-batch.providers';
import { leadFilterControllers, leadFilterProviders } from './lead-filter/lead-filter.providers';
import { leadTimelineControllers } from './lead-timeline/lead-timeline.providers';
import { leadBehaviourControllers } from './lead-behaviour/lead-behaviour.providers';
import { leadOverviewControllers, leadOverviewProviders } from './lead-overview/lead-overview.providers';
import { assetControllers, assetProviders } from './asset/asset.providers';
import { leadSchemaControllers, leadSchemaProviders } from './lead-schema/lead-schema.providers';
import { leadViewControllers, leadViewProviders } from './lead-view/lead-view.providers';
import { leadExportControllers, leadExportProviders } from './lead-export/lead-export.providers';
import { leadImportControllers, leadImportProviders } from './lead-import/lead-import.providers';
import { contactControllers, contactProviders } from './contact/contact.providers';
import { SealingEventStore } from './lead-crypto/sealing-event-store';
import { LEADS_EVENT_STORE, LEADS_KEY_STORE, LEADS_OPTIONS, LEADS_READ_STORE, type LeadsOptions } from './leads.tokens';

/** The leads service (LEAD-*): the lead library and the lead overview. */
@Module({})
export class LeadsModule {
  static register(options: LeadsOptions): DynamicModule {
    // Everything in the service reads and writes the log through the sealing view: handlers and
    // projections see clear personal data, the log (and the relay reading it) only sealed data.
    const eventStore = new SealingEventStore(options.eventStore, options.keyStore);
    return {
      module: LeadsModule,
      imports: [CqrsModule],
      controllers: [
        CreateLeadHttpController, GetLeadHttpController, ListLeadsHttpController, NewLeadsTrendHttpController, ListLeadStatusesHttpController, StatusCatalogueHttpController,
        OperateLeadHttpController,
        ...leadSchemaControllers,
        ...assetControllers,
        ...leadViewControllers,
        ...leadBatchControllers,
        ...leadFilterControllers,
        ...leadTimelineControllers,
        ...leadBehaviourControllers,
        ...leadExportControllers,
        ...leadImportControllers,
        ...leadOverviewControllers,
        ...contactControllers,
      ],
      providers: [
        { provide: LEADS_OPTIONS, useValue: options },
        { provide: LEADS_EVENT_STORE, useValue: eventStore },
        { provide: LEADS_KEY_STORE, useValue: options.keyStore },
        { provide: LEADS_READ_STORE, useValue: options.readStore },
        CreateLeadHandler,
        OperateLeadHandler,
        LeadOperations,
        {
          provide: CUSTOM_FIELD_RULES,
          inject: [LeadSchemaReader],
          useFactory: (reader: LeadSchemaReader): CustomFieldRules => ({ schema: (id) => reader.get(id), validate: validateCustomFields }),
        },
        {
          // An uploaded image's metadata, straight from its stream (the asset slice writes it).
          provide: ASSET_INFO_SOURCE,
          inject: [LEADS_EVENT_STORE],
          useFactory: (store: EventStore): AssetInfoSource => ({
            async find(tenantId, assetId) {
              const [uploaded] = await store.readStream(streamIdOf('leads.asset', assetId), { maxCount: 1 });
              const data = uploaded?.data as { enterpriseId?: string; contentType?: string; size?: number } | undefined;
              if (uploaded?.type !== 'leads.AssetUploaded' || data?.enterpriseId !== tenantId) return null;
              return { contentType: String(data.contentType), size: Number(data.size) };
            },
          }),
        },
        StatusCatalogueReader,
        GetLeadHandler,
        ListLeadsHandler,
        NewLeadsTrendHandler,
        ChangeStatusCatalogueHandler,
        ListLeadStatusesHandler,
        LeadsRuntime,
        ...leadSchemaProviders,
        ...assetProviders,
        ...leadViewProviders,
        ...leadBatchProviders,
        ...leadFilterProviders,
        ...leadExportProviders,
        ...leadImportProviders,
        ...leadOverviewProviders,
        ...contactProviders,
      ],
      exports: [LeadsRuntime],
    };
  }
}
