import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { DEFAULT_STATUSES, statusCatalogueDecider } from './status-catalogue.decider';
import type { StatusCatalogueEvent } from './status.events';

const e = 'e1';
const initialised: StatusCatalogueEvent = { type: 'leads.StatusCatalogueInitialised', data: { enterpriseId: e, statuses: DEFAULT_STATUSES.map((s) => ({ ...s })) } };
const created: StatusCatalogueEvent = { type: 'leads.StatusCreated', data: { statusId: 's1', name: 'Follow-up' } };
const [first, second] = DEFAULT_STATUSES;

describe('lead status catalogue decider (LEAD-5)', () => {
  it('an empty stream is the default set', () => {
    const state = statusCatalogueDecider.initialState();
    assert.equal(state.initialised, false);
    assert.deepEqual(state.statuses.map((s) => s.name), ['New', 'Contacted', 'Qualified', 'Converted', 'Invalid']);
  });

  it('the first change writes the defaults before the change', () => {
    deciderSpec(statusCatalogueDecider)
      .given([])
      .when({ kind: 'CreateStatus', enterpriseId: e, statusId: 's1', name: '  Follow-up ' })
      .then([initialised, created]);
  });

  it('later changes do not initialise again', () => {
    deciderSpec(statusCatalogueDecider).given([initialised]).when({ kind: 'CreateStatus', enterpriseId: e, statusId: 's1', name: 'Follow-up' }).then([created]);
  });

  it('refuses empty and too long names, naming the field', () => {
    for (const name of ['   ', 'x'.repeat(33)]) {
      deciderSpec(statusCatalogueDecider)
        .given([])
        .when({ kind: 'CreateStatus', enterpriseId: e, statusId: 's1', name })
        .thenThrows(DomainError, /not valid/, (error) => assert.deepEqual(Object.keys((error as DomainError).fields), ['name']));
    }
  });

  it('names are unique case-insensitively among non-retired statuses', () => {
    deciderSpec(statusCatalogueDecider)
      .given([initialised])
      .when({ kind: 'CreateStatus', enterpriseId: e, statusId: 's1', name: 'NEW' })
      .thenThrows(DomainError, /already exists/, (error) => assert.equal((error as DomainError).kind, 'conflict'));
    deciderSpec(statusCatalogueDecider)
      .given([initialised, { type: 'leads.StatusRetired', data: { statusId: first!.id } }])
      .when({ kind: 'CreateStatus', enterpriseId: e, statusId: 's1', name: 'new' })
      .then([{ type: 'leads.StatusCreated', data: { statusId: 's1', name: 'new' } }]);
  });

  it('renames, refusing a name taken by another status and unknown ids', () => {
    deciderSpec(statusCatalogueDecider)
      .given([initialised])
      .when({ kind: 'RenameStatus', enterpriseId: e, statusId: first!.id, name: 'Fresh' })
      .then([{ type: 'leads.StatusRenamed', data: { statusId: first!.id, name: 'Fresh' } }]);
    deciderSpec(statusCatalogueDecider).given([initialised]).when({ kind: 'RenameStatus', enterpriseId: e, statusId: first!.id, name: 'new' }).thenMatches((events) => assert.equal(events.length, 1));
    deciderSpec(statusCatalogueDecider).given([initialised]).when({ kind: 'RenameStatus', enterpriseId: e, statusId: first!.id, name: 'contacted' }).thenThrows(DomainError, /already exists/);
    deciderSpec(statusCatalogueDecider)
      .given([initialised])
      .when({ kind: 'RenameStatus', enterpriseId: e, statusId: 'nope', name: 'X' })
      .thenThrows(DomainError, /not found/, (error) => assert.equal((error as DomainError).kind, 'not_found'));
  });

  it('reorders with the full list of ids only', () => {
    const ids = DEFAULT_STATUSES.map((s) => s.id);
    const reversed = [...ids].reverse();
    deciderSpec(statusCatalogueDecider).given([]).when({ kind: 'ReorderStatuses', enterpriseId: e, statusIds: reversed }).then([initialised, { type: 'leads.StatusesReordered', data: { statusIds: reversed } }]);
    const state = [initialised, { type: 'leads.StatusesReordered', data: { statusIds: reversed } } as StatusCatalogueEvent].reduce((s, ev) => statusCatalogueDecider.evolve(s, ev), statusCatalogueDecider.initialState());
    assert.deepEqual(state.statuses.map((s) => s.id), reversed);
    for (const statusIds of [ids.slice(1), [...ids, ids[0]!], [...ids.slice(1), 'other']]) {
      deciderSpec(statusCatalogueDecider)
        .given([initialised])
        .when({ kind: 'ReorderStatuses', enterpriseId: e, statusIds })
        .thenThrows(DomainError, /every status/, (error) => assert.deepEqual(Object.keys((error as DomainError).fields), ['statusIds']));
    }
    deciderSpec(statusCatalogueDecider).given([]).when({ kind: 'ReorderStatuses', enterpriseId: e, statusIds: ids }).thenNothing();
  });

  it('retires a status once; it stays listed', () => {
    deciderSpec(statusCatalogueDecider)
      .given([initialised])
      .when({ kind: 'RetireStatus', enterpriseId: e, statusId: second!.id })
      .then([{ type: 'leads.StatusRetired', data: { statusId: second!.id } }]);
    const retired: StatusCatalogueEvent = { type: 'leads.StatusRetired', data: { statusId: second!.id } };
    deciderSpec(statusCatalogueDecider).given([initialised, retired]).when({ kind: 'RetireStatus', enterpriseId: e, statusId: second!.id }).thenNothing();
    const state = [initialised, retired].reduce((s, ev) => statusCatalogueDecider.evolve(s, ev), statusCatalogueDecider.initialState());
    assert.deepEqual(state.statuses[1], { id: second!.id, name: 'Contacted', retired: true });
    deciderSpec(statusCatalogueDecider).given([initialised]).when({ kind: 'RetireStatus', enterpriseId: e, statusId: 'nope' }).thenThrows(DomainError, /not found/);
  });
});
