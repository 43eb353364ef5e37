import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ContactGraph, type ContactComponent } from './contact-graph';
import { identifierCandidates, identifierKey, leadIdentifiers, normaliseEmail, normalisePhone, normaliseQq, parseIdentifier } from './contact-identifiers';

describe('contact identifiers', () => {
  it('normalises phones: strips spaces, dashes, dots, parentheses; 00 becomes +', () => {
    assert.equal(normalisePhone('+86 138-0013-8000'), '+8613800138000');
    assert.equal(normalisePhone('0086 (138) 0013.8000'), '+8613800138000');
    assert.equal(normalisePhone('138 0013 8000'), '13800138000');
    assert.equal(normalisePhone('12ab'), null);
    assert.equal(normalisePhone('  '), null);
  });
  it('normalises e-mail (trim, lower-case), QQ (digits) and typed social ids', () => {
    assert.equal(normaliseEmail('  Han@Example.COM '), 'han@example.com');
    assert.equal(normaliseQq(' 10 001 '), '10001');
    assert.equal(identifierKey('WeChat', ' han_mm '), 'wechat:han_mm');
    assert.deepEqual(leadIdentifiers({ phone: '+86 138 0013 8000', email: 'A@b.cn', qq: null }), ['email:a@b.cn', 'phone:+8613800138000']);
    assert.equal(parseIdentifier('Han@Example.com'), 'email:han@example.com');
    assert.equal(parseIdentifier('phone:0086 138-0013-8000'), 'phone:+8613800138000');
    assert.equal(parseIdentifier('138 0013 8000'), 'phone:13800138000');
  });
  it('reads a query value as the keys it may mean: a bare number is a phone or a QQ number', () => {
    assert.deepEqual(identifierCandidates('10001'), ['phone:10001', 'qq:10001']);
    assert.deepEqual(identifierCandidates('+86 138 0013 8000'), ['phone:+8613800138000']);
    assert.deepEqual(identifierCandidates(' A@B.cn'), ['email:a@b.cn']);
    assert.deepEqual(identifierCandidates('email: A@B.cn'), ['email:a@b.cn']);
    assert.deepEqual(identifierCandidates('qq: 10 001'), ['qq:10001']);
    assert.deepEqual(identifierCandidates('WeChat:han_mm'), ['wechat:han_mm']);
    assert.deepEqual(identifierCandidates('hello'), []);
    assert.deepEqual(identifierCandidates('phone:abc'), []);
  });
});

describe('contact graph', () => {
  it('merges two contacts when a lead links them and keeps the earliest lead as id', () => {
    const g = new ContactGraph();
    g.setLead('a', 1, ['phone:1']);
    g.setLead('b', 2, ['email:x']);
    const change = g.setLead('c', 3, ['phone:1', 'email:x']);
    assert.deepEqual(change.upserted.map((c) => c.contactId), ['a']);
    assert.deepEqual(change.removed, ['b']);
    assert.deepEqual(g.component('b')?.leadIds, ['a', 'b', 'c']);
  });
  it('splits when a change disconnects the component, and on deletion', () => {
    const g = new ContactGraph();
    g.setLead('a', 1, ['phone:1']);
    g.setLead('b', 2, ['phone:1', 'email:x']);
    g.setLead('c', 3, ['email:x']);
    const change = g.setLead('b', 2, ['email:x']);
    assert.deepEqual(change.upserted.map((c) => [c.contactId, c.leadIds]).sort(), [['a', ['a']], ['b', ['b', 'c']]]);
    const gone = g.removeLead('b');
    assert.deepEqual(gone.upserted.map((c) => c.contactId), ['c']);
    assert.deepEqual(gone.removed, ['b']);
    assert.equal(g.contactOf('c'), 'c');
  });

  it('loads a stored neighbourhood without recomputing, then resolves it like one built lead by lead', () => {
    const g = new ContactGraph();
    g.load('b', 2, ['email:x']);
    g.load('a', 1, ['phone:1']);
    g.load('c', 3, ['phone:1', 'email:x']);
    assert.deepEqual(g.contacts(), [{ contactId: 'a', leadIds: ['a', 'b', 'c'], identifiers: ['email:x', 'phone:1'] }]);
    g.load('c', 3, ['email:x']);
    assert.deepEqual(g.contacts().map((c) => [c.contactId, c.leadIds]), [['a', ['a']], ['b', ['b', 'c']]]);
  });

  it('equals a from-scratch connected-components computation over random operations', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let run = 0; run < 50; run++) {
      const g = new ContactGraph();
      const state = new Map<string, { seq: number; ids: string[] }>();
      let seq = 0;
      for (let step = 0; step < 200; step++) {
        const lead = `l${rnd(30)}`;
        if (rnd(5) === 0) {
          g.removeLead(lead);
          state.delete(lead);
        } else {
          const ids = [...new Set(Array.from({ length: rnd(3) }, () => `k:${rnd(25)}`))].sort();
          const s = state.get(lead)?.seq ?? ++seq;
          state.set(lead, { seq: s, ids });
          g.setLead(lead, s, ids);
        }
        const expected = fromScratch(state);
        assert.deepEqual(g.contacts(), expected);
        for (const c of expected) for (const l of c.leadIds) assert.equal(g.contactOf(l), c.contactId);
      }
    }
  });
});

function fromScratch(state: Map<string, { seq: number; ids: string[] }>): ContactComponent[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const owner = new Map<string, string>();
  for (const [lead, { ids }] of state) {
    parent.set(lead, lead);
    for (const id of ids) {
      const o = owner.get(id);
      if (o) parent.set(find(lead), find(o));
      else owner.set(id, lead);
    }
  }
  const groups = new Map<string, string[]>();
  for (const lead of state.keys()) (groups.get(find(lead)) ?? groups.set(find(lead), []).get(find(lead))!).push(lead);
  return [...groups.values()]
    .map((leads) => {
      const first = leads.reduce((a, b) => (state.get(a)!.seq <= state.get(b)!.seq ? a : b));
      const identifiers = [...new Set(leads.flatMap((l) => state.get(l)!.ids))].sort();
      return { contactId: first, leadIds: [...leads].sort(), identifiers };
    })
    .sort((a, b) => (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0));
}
