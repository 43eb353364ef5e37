import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DomainError, fold } from '@leadstream/event-sourcing';
import { deciderSpec } from '@leadstream/event-sourcing/testing';
import { leadImportDecider } from './lead-import.decider';
import { isLiveMapping, leadImportMappingDecider } from './lead-import-mapping.decider';
import type { LeadImportEvent, LeadImportMappingEvent } from './lead-import.events';

const T1 = 'tenant-1';
const JOB = 'job-1';
const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-01T00:05:00.000Z';
const MAPPING = { Name: 'name', Mobile: 'phone' };

const uploaded: LeadImportEvent = {
  type: 'leads.LeadImportUploaded',
  data: { importId: JOB, enterpriseId: T1, fileName: 'a.csv', format: 'csv', encoding: 'utf-8', size: 10, sha256: 'x', headers: ['Name', 'Mobile'], rows: 5000, uploadedBy: 'm1', uploadedAt: NOW },
};
const started: LeadImportEvent = { type: 'leads.LeadImportStarted', data: { importId: JOB, mapping: MAPPING, mappingId: null, actor: { memberId: 'm1' }, startedAt: NOW } };
const progressed: LeadImportEvent = { type: 'leads.LeadImportProgressed', data: { importId: JOB, lastRow: 2001, errorBytes: 321, rowsRead: 2000, imported: 1990, failed: 9, skipped: 1 } };
const cancelRequested: LeadImportEvent = { type: 'leads.LeadImportCancelRequested', data: { importId: JOB, requestedBy: 'm2', requestedAt: LATER } };
const finished = (outcome: 'completed' | 'cancelled' | 'failed'): LeadImportEvent => ({
  type: 'leads.LeadImportFinished',
  data: { importId: JOB, outcome, reason: null, finishedAt: LATER, rowsRead: 5000, imported: 4990, failed: 9, skipped: 1 },
});
const start = { kind: 'StartImport' as const, enterpriseId: T1, mapping: MAPPING, mappingId: null, actor: { memberId: 'm1' }, now: NOW };
const cancel = { kind: 'CancelImport' as const, enterpriseId: T1, memberId: 'm2', now: LATER };
const is = (code: string, kind: DomainError['kind']) => (e: Error) => {
  assert.ok(e instanceof DomainError);
  assert.equal(e.kind, kind);
  assert.equal(e.code, code);
};

describe('lead import job decider (LEAD-7)', () => {
  it('starts an uploaded job once, with its mapping and who started it', () => {
    deciderSpec(leadImportDecider).given([uploaded]).when(start).then([started]);
    deciderSpec(leadImportDecider).given([uploaded, started]).when(start).thenThrows(DomainError, /already been started/, is('leads.import-already-started', 'conflict'));
    deciderSpec(leadImportDecider).given([uploaded, started, finished('completed')]).when(start).thenThrows(DomainError, /already been started/);
  });

  it('does not know a job of another enterprise, or none', () => {
    deciderSpec(leadImportDecider).given([uploaded]).when({ ...start, enterpriseId: 'tenant-2' }).thenThrows(DomainError, /not found/, is('leads.import-not-found', 'not_found'));
    deciderSpec(leadImportDecider).given([]).when(cancel).thenThrows(DomainError, /not found/);
    deciderSpec(leadImportDecider).given([uploaded]).when({ ...cancel, enterpriseId: 'tenant-2' }).thenThrows(DomainError, /not found/);
  });

  it('cancels a job never started on the spot, a running one by request, a finished one not at all', () => {
    deciderSpec(leadImportDecider)
      .given([uploaded])
      .when(cancel)
      .then([{ type: 'leads.LeadImportFinished', data: { importId: JOB, outcome: 'cancelled', reason: null, finishedAt: LATER, rowsRead: 0, imported: 0, failed: 0, skipped: 0 } }]);
    deciderSpec(leadImportDecider).given([uploaded, started, progressed]).when(cancel).then([cancelRequested]);
    deciderSpec(leadImportDecider).given([uploaded, started, cancelRequested]).when(cancel).thenNothing();
    for (const outcome of ['completed', 'cancelled', 'failed'] as const) deciderSpec(leadImportDecider).given([uploaded, started, finished(outcome)]).when(cancel).thenNothing();
  });

  it('folds checkpoints into the progress a resumed run starts from', () => {
    const running = fold(leadImportDecider, [uploaded, started, progressed]);
    assert.deepEqual(
      { state: running.state, lastRow: running.lastRow, errorBytes: running.errorBytes, rowsRead: running.rowsRead, imported: running.imported, failed: running.failed, skipped: running.skipped },
      { state: 'running', lastRow: 2001, errorBytes: 321, rowsRead: 2000, imported: 1990, failed: 9, skipped: 1 },
    );
    const fresh = fold(leadImportDecider, [uploaded, started]);
    assert.equal(fresh.lastRow, 1, 'a job not yet checkpointed resumes after the header row');
    assert.equal(fresh.errorBytes, 0);
    const done = fold(leadImportDecider, [uploaded, started, progressed, cancelRequested, finished('cancelled')]);
    assert.deepEqual({ state: done.state, cancelRequested: done.cancelRequested, imported: done.imported, finishedAt: done.finishedAt }, { state: 'cancelled', cancelRequested: true, imported: 4990, finishedAt: LATER });
  });
});

describe('saved import mapping decider (LEAD-7)', () => {
  const save = (extra: Partial<{ create: boolean; name: string; enterpriseId: string; mapping: Record<string, string> }> = {}) => ({
    kind: 'SaveMapping' as const,
    create: true,
    mappingId: 'map-1',
    enterpriseId: T1,
    name: 'Trade fair',
    mapping: MAPPING,
    memberId: 'm1',
    now: NOW,
    ...extra,
  });
  const saved = (name = 'Trade fair', mapping: Record<string, string> = MAPPING, at = NOW): LeadImportMappingEvent => ({
    type: 'leads.LeadImportMappingSaved',
    data: { mappingId: 'map-1', enterpriseId: T1, name, mapping, savedBy: 'm1', savedAt: at },
  });
  const remove = { kind: 'DeleteMapping' as const, enterpriseId: T1, memberId: 'm1', now: LATER };

  it('creates once, with the name trimmed; an empty or too long name is refused naming name', () => {
    deciderSpec(leadImportMappingDecider).given([]).when(save({ name: '  Trade fair ' })).then([saved()]);
    deciderSpec(leadImportMappingDecider).given([saved()]).when(save()).thenThrows(DomainError, /already exists/, is('leads.import-mapping-exists', 'conflict'));
    deciderSpec(leadImportMappingDecider).given([]).when(save({ name: '   ' })).thenThrows(DomainError, /name/, (e) => assert.ok('name' in (e as DomainError).fields));
    deciderSpec(leadImportMappingDecider).given([]).when(save({ name: 'x'.repeat(101) })).thenThrows(DomainError, /too long/, (e) => assert.ok('name' in (e as DomainError).fields));
  });

  it('replaces a live mapping of the same enterprise; an unchanged one records nothing', () => {
    const other = { Who: 'name', Mail: 'email' };
    deciderSpec(leadImportMappingDecider).given([saved()]).when(save({ create: false, name: 'Fair 2', mapping: other })).then([saved('Fair 2', other)]);
    deciderSpec(leadImportMappingDecider).given([saved()]).when(save({ create: false })).thenNothing();
    deciderSpec(leadImportMappingDecider).given([saved()]).when(save({ create: false, enterpriseId: 'tenant-2' })).thenThrows(DomainError, /not found/);
    deciderSpec(leadImportMappingDecider).given([]).when(save({ create: false })).thenThrows(DomainError, /not found/);
    const state = fold(leadImportMappingDecider, [saved(), saved('Fair 2', other, LATER)]);
    assert.deepEqual({ name: state.name, mapping: state.mapping, version: state.version, updatedAt: state.updatedAt }, { name: 'Fair 2', mapping: other, version: 2, updatedAt: LATER });
  });

  it('deletes once; a deleted mapping is no longer live and cannot be replaced', () => {
    const deleted: LeadImportMappingEvent = { type: 'leads.LeadImportMappingDeleted', data: { mappingId: 'map-1', enterpriseId: T1, deletedBy: 'm1', deletedAt: LATER } };
    deciderSpec(leadImportMappingDecider).given([saved()]).when(remove).then([deleted]);
    deciderSpec(leadImportMappingDecider).given([saved(), deleted]).when(remove).thenThrows(DomainError, /not found/, is('leads.import-mapping-not-found', 'not_found'));
    deciderSpec(leadImportMappingDecider).given([saved(), deleted]).when(save({ create: false })).thenThrows(DomainError, /not found/);
    deciderSpec(leadImportMappingDecider).given([saved()]).when({ ...remove, enterpriseId: 'tenant-2' }).thenThrows(DomainError, /not found/);
    assert.equal(isLiveMapping(fold(leadImportMappingDecider, [saved(), deleted]), T1), false);
    assert.equal(isLiveMapping(fold(leadImportMappingDecider, [saved()]), 'tenant-2'), false);
  });
});
