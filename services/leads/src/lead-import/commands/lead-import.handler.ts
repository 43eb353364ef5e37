import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, loadState, streamIdOf, type EventMetadata, type EventStore } from '@leadstream/event-sourcing';
import type { Principal } from '@leadstream/platform';
import { LEADS_EVENT_STORE } from '../../leads.tokens';
import { LeadSchemaReader } from '../../lead-schema/lead-schema.reader';
import { checkMapping } from '../domain/import-mapping';
import { importNotFound, leadImportDecider } from '../domain/lead-import.decider';
import { leadImportMappingDecider } from '../domain/lead-import-mapping.decider';
import { LEAD_IMPORT_CATEGORY, LEAD_IMPORT_MAPPING_CATEGORY, type ColumnMapping } from '../domain/lead-import.events';
import { IMPORT_FILE_STORE, type ImportFileStore } from '../import-file-store';
import { LeadImportMappingReader } from '../lead-import-mapping.reader';
import { LeadImportRunner } from '../lead-import.runner';
import { ChangeLeadImportCommand, ChangeLeadImportMappingCommand } from './lead-import.command';

const metadataOf = (principal: Principal, correlationId: string): EventMetadata => ({ tenantId: principal.tenantId, correlationId, causationId: null, actor: principal.memberId });

export function invalidMapping(errors: Readonly<Record<string, string>>): DomainError {
  const [first] = Object.keys(errors);
  return new DomainError('invalid', 'leads.invalid-import-mapping', `The mapping does not fit the lead schema${first ? `: ${first} ${errors[first]}` : ''}.`, errors);
}

/**
 * Import jobs (LEAD-7). Starting checks the mapping against the file's header row and the lead
 * schema as it stands (every problem named `mapping.<column>` or `mapping`), then hands the job
 * to the runner, which works in the background; cancelling a running job asks the runner to stop
 * after its current chunk.
 */
@CommandHandler(ChangeLeadImportCommand)
export class ChangeLeadImportHandler implements ICommandHandler<ChangeLeadImportCommand> {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    @Inject(IMPORT_FILE_STORE) private readonly files: ImportFileStore,
    private readonly runner: LeadImportRunner,
    private readonly schemas: LeadSchemaReader,
    private readonly mappings: LeadImportMappingReader,
  ) {}

  async execute({ change, principal, correlationId }: ChangeLeadImportCommand): Promise<void> {
    const metadata = metadataOf(principal, correlationId);
    const now = new Date().toISOString();
    switch (change.kind) {
      case 'register': {
        const streamId = streamIdOf(LEAD_IMPORT_CATEGORY, change.uploaded.importId);
        await this.store.appendToStream(streamId, [{ type: 'leads.LeadImportUploaded', data: change.uploaded, metadata }], { expectedRevision: 'no_stream' });
        return;
      }
      case 'start': {
        const streamId = streamIdOf(LEAD_IMPORT_CATEGORY, change.importId);
        const { state } = await loadState(this.store, streamId, leadImportDecider);
        if (!state.exists || state.enterpriseId !== principal.tenantId) throw importNotFound();
        if (state.state !== 'uploaded') throw new DomainError('conflict', 'leads.import-already-started', 'The import has already been started.');
        let mapping: ColumnMapping;
        if (change.mappingId !== null) {
          const saved = await this.mappings.find(principal.tenantId, change.mappingId);
          if (!saved) throw new DomainError('invalid', 'leads.invalid-import-mapping', 'The saved mapping was not found.', { mappingId: 'is not a saved mapping of this enterprise' });
          mapping = saved.mapping;
        } else {
          mapping = change.mapping!;
        }
        const checked = checkMapping(mapping, await this.schemas.get(principal.tenantId), state.headers);
        if (Object.keys(checked.errors).length > 0) throw invalidMapping(checked.errors);
        await handleCommand(
          this.store,
          streamId,
          leadImportDecider,
          { kind: 'StartImport', enterpriseId: principal.tenantId, mapping, mappingId: change.mappingId, actor: { memberId: principal.memberId }, now },
          metadata,
        );
        this.runner.start(change.importId);
        return;
      }
      case 'cancel': {
        const result = await handleCommand(
          this.store,
          streamIdOf(LEAD_IMPORT_CATEGORY, change.importId),
          leadImportDecider,
          { kind: 'CancelImport', enterpriseId: principal.tenantId, memberId: principal.memberId, now },
          metadata,
        );
        // never started: finished here, its file is no longer needed; running: the runner stops after its chunk
        if (result.state.state === 'cancelled' && result.newEvents.length > 0) await this.files.remove(this.files.uploadPath(principal.tenantId, change.importId));
        else if (result.state.state === 'running') this.runner.cancel(change.importId);
        return;
      }
    }
  }
}

/**
 * Saved import mappings (LEAD-7): checked against the lead schema as it stands (not against a
 * file: the columns are the file's headers, which a later file must have).
 */
@CommandHandler(ChangeLeadImportMappingCommand)
export class ChangeLeadImportMappingHandler implements ICommandHandler<ChangeLeadImportMappingCommand> {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    private readonly schemas: LeadSchemaReader,
  ) {}

  async execute({ change, principal, correlationId }: ChangeLeadImportMappingCommand): Promise<{ id: string }> {
    const now = new Date().toISOString();
    const id = change.kind === 'create' ? randomUUID() : change.mappingId;
    if (change.kind !== 'delete') {
      const checked = checkMapping(change.mapping, await this.schemas.get(principal.tenantId), null);
      if (Object.keys(checked.errors).length > 0) throw invalidMapping(checked.errors);
    }
    await handleCommand(
      this.store,
      streamIdOf(LEAD_IMPORT_MAPPING_CATEGORY, id),
      leadImportMappingDecider,
      change.kind === 'delete'
        ? { kind: 'DeleteMapping', enterpriseId: principal.tenantId, memberId: principal.memberId, now }
        : { kind: 'SaveMapping', create: change.kind === 'create', mappingId: id, enterpriseId: principal.tenantId, name: change.name, mapping: change.mapping, memberId: principal.memberId, now },
      metadataOf(principal, correlationId),
    );
    return { id };
  }
}
