import { randomUUID } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { DomainError, handleCommand, streamIdOf, type EventStore } from '@leadstream/event-sourcing';
import type { ReadStore } from '@leadstream/read-store';
import { LEADS_EVENT_STORE, LEADS_READ_STORE } from '../../leads.tokens';
import { LeadSchemaReader } from '../../lead-schema/lead-schema.reader';
import { tenantTimeZone } from '../../tenant/tenant-time-zone';
import { compileLeadFilter } from '../../lead-filter/query/lead-filter';
import { resolveColumns, resolveSort } from '../../lead-filter/query/lead-sort';
import { assertMayChange, leadViewDecider, type LeadViewActor, type LeadViewCommand } from '../domain/lead-view.decider';
import { LEAD_VIEW_CATEGORY, type LeadViewDefinition } from '../domain/lead-view.events';
import { LeadViewReader } from '../lead-view.reader';
import { ChangeLeadViewCommand } from './lead-view.command';

/**
 * Saved views (LEAD-9). A definition is checked against the enterprise's lead schema as it stands
 * when saved: every condition (named `filter.conditions[i].field|op|value`), the sort (`sort.field`)
 * and the columns (`columns[i]`); all problems are reported at once. Replacing or deleting first
 * checks that the caller sees the view (404) and may change it (403), so a stranger learns nothing
 * from a validation error.
 */
@CommandHandler(ChangeLeadViewCommand)
export class ChangeLeadViewHandler implements ICommandHandler<ChangeLeadViewCommand> {
  constructor(
    @Inject(LEADS_EVENT_STORE) private readonly store: EventStore,
    @Inject(LEADS_READ_STORE) private readonly readStore: ReadStore,
    private readonly schemas: LeadSchemaReader,
    private readonly views: LeadViewReader,
  ) {}

  async execute({ change, principal, correlationId }: ChangeLeadViewCommand): Promise<{ id: string; version: number }> {
    const actor: LeadViewActor = { enterpriseId: principal.tenantId, memberId: principal.memberId, isAdmin: principal.isAdmin };
    const now = new Date().toISOString();
    let viewId: string;
    let command: LeadViewCommand;
    switch (change.kind) {
      case 'create':
        viewId = randomUUID();
        await this.check(principal.tenantId, change.definition);
        command = { kind: 'CreateLeadView', viewId, actor, definition: change.definition, now };
        break;
      case 'replace':
        viewId = change.viewId;
        assertMayChange(await this.views.load(viewId), actor);
        await this.check(principal.tenantId, change.definition);
        command = { kind: 'ReplaceLeadView', actor, definition: change.definition, expectedVersion: change.expectedVersion, now };
        break;
      case 'delete':
        viewId = change.viewId;
        assertMayChange(await this.views.load(viewId), actor);
        command = { kind: 'DeleteLeadView', actor, expectedVersion: change.expectedVersion, now };
        break;
    }
    const result = await handleCommand(this.store, streamIdOf(LEAD_VIEW_CATEGORY, viewId), leadViewDecider, command, {
      tenantId: principal.tenantId,
      correlationId,
      causationId: null,
      actor: principal.memberId,
    });
    return { id: viewId, version: result.revision };
  }

  /** The filter, sort and columns against the current lead schema; one 400 naming every bad part. */
  private async check(tenantId: string, definition: LeadViewDefinition): Promise<void> {
    const [schema, timeZone] = await Promise.all([this.schemas.get(tenantId), tenantTimeZone(this.readStore, tenantId)]);
    const errors: Record<string, string> = {};
    const collect = (check: () => unknown) => {
      try {
        check();
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind !== 'invalid') throw error;
        Object.assign(errors, error.fields);
      }
    };
    collect(() => compileLeadFilter(definition.filter, schema, timeZone, 'filter.'));
    if (definition.sort) collect(() => resolveSort(definition.sort!, schema, ''));
    if (definition.columns) collect(() => resolveColumns(definition.columns!, schema, ''));
    const fields = Object.keys(errors);
    if (fields.length > 0) {
      throw new DomainError('invalid', 'leads.invalid-view', `The view does not fit the lead schema: ${fields[0]} ${errors[fields[0]!]}.`, errors);
    }
  }
}
