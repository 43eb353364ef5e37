import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceptsEvent, categoryFilter, escapeRegex, NON_SYSTEM_STREAMS } from './category-filter';

/** The server evaluates the regex with .NET; for the constructs we emit, JavaScript agrees. */
function matches(regex: string, streamId: string): boolean {
  return new RegExp(regex).test(streamId);
}

function regexOf(categories?: readonly string[]): string {
  const filter = categoryFilter(categories);
  assert.notEqual(filter.kind, 'none');
  return (filter as { regex: string }).regex;
}

describe('categoryFilter', () => {
  it('without categories: every stream but system streams', () => {
    const filter = categoryFilter();
    assert.deepEqual(filter, { kind: 'all', regex: NON_SYSTEM_STREAMS });
    for (const s of ['orders-1', 'orders', 'leads.lead-9a2b', '-x']) assert.ok(matches(filter.kind === 'all' ? filter.regex : '', s), s);
    for (const s of ['$ce-orders', '$$orders-1', '$stats-127.0.0.1:2113', '$all']) assert.ok(!matches(NON_SYSTEM_STREAMS, s), s);
  });

  it('builds an anchored alternation of escaped, de-duplicated, sorted categories', () => {
    assert.equal(regexOf(['orders']), '^(?:orders)(?:-|$)');
    assert.equal(regexOf(['leads.lead', 'identity.member', 'leads.lead']), '^(?:identity\\.member|leads\\.lead)(?:-|$)');
    const filter = categoryFilter(['b', 'a', 'a']);
    assert.ok(filter.kind === 'categories');
    assert.deepEqual([...filter.categories], ['a', 'b']);
  });

  it('matches a category exactly: the stream without dash, or with anything after the first dash', () => {
    const regex = regexOf(['contract.cat1']);
    for (const s of ['contract.cat1-a', 'contract.cat1-b-c', 'contract.cat1', 'contract.cat1-']) assert.ok(matches(regex, s), s);
    for (const s of ['contract.cat1x-a', 'contract.cat', 'contractxcat1-a', 'x-contract.cat1-a', '$ce-contract.cat1', 'contract.cat1x']) {
      assert.ok(!matches(regex, s), s);
    }
  });

  it('matches several categories and nothing in between', () => {
    const regex = regexOf(['a', 'b.c']);
    for (const s of ['a-1', 'a', 'b.c-1', 'b.c']) assert.ok(matches(regex, s), s);
    for (const s of ['ab-1', 'b-1', 'bxc-1', 'c-1', 'a.b-1']) assert.ok(!matches(regex, s), s);
  });

  it('matches nothing for an empty list or names that cannot be categories', () => {
    assert.deepEqual(categoryFilter([]), { kind: 'none' });
    assert.deepEqual(categoryFilter(['orders-1']), { kind: 'none' });
    assert.deepEqual(categoryFilter(['$ce']), { kind: 'none' });
    // the unusable names are dropped, the rest still filters
    assert.equal(regexOf(['orders-1', 'orders', '$ce']), '^(?:orders)(?:-|$)');
  });

  it('escapes every regex metacharacter', () => {
    const weird = 'a.b*c+d?e|f{1}[g](h)^i$j\\k#l m';
    const regex = regexOf([weird]);
    assert.ok(matches(regex, weird));
    assert.ok(matches(regex, `${weird}-1`));
    assert.ok(!matches(regex, 'aXb*c+d?e|f{1}[g](h)^i$j\\k#l m'));
    assert.equal(escapeRegex('x.y'), 'x\\.y');
    assert.equal(escapeRegex('tab\there'), 'tab\\there');
    assert.equal(escapeRegex('nbsp\u00a0'), 'nbsp\\u00a0');
  });
});

describe('acceptsEvent', () => {
  it('rejects system streams and system event types, whatever the filter', () => {
    const all = categoryFilter();
    assert.ok(acceptsEvent(all, 'orders-1', 'OrderPlaced'));
    assert.ok(!acceptsEvent(all, '$ce-orders', 'OrderPlaced'));
    assert.ok(!acceptsEvent(all, 'orders-1', '$streamDeleted'));
    assert.ok(!acceptsEvent(all, 'orders-1', '$>'));
  });

  it('checks the category exactly', () => {
    const orders = categoryFilter(['orders']);
    assert.ok(acceptsEvent(orders, 'orders-1', 'T'));
    assert.ok(acceptsEvent(orders, 'orders', 'T'));
    assert.ok(acceptsEvent(orders, 'orders-1-2', 'T'));
    assert.ok(!acceptsEvent(orders, 'ordersx-1', 'T'));
    assert.ok(!acceptsEvent(categoryFilter([]), 'orders-1', 'T'));
  });
});
