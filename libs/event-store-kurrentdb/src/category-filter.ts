import { streamCategory } from '@leadstream/event-sourcing';

/**
 * Which events of the global log a read or subscription wants, as a server-side stream-name
 * regex plus the exact check applied again on the client:
 * - `all`: every category, but no system stream (`$…`);
 * - `categories`: streams `<category>` or `<category>-…` of the listed categories;
 * - `none`: nothing can match (an empty list, or only names that cannot be categories).
 *
 * A regex rather than KurrentDB's prefix filter: the prefix `orders-` would miss the stream
 * `orders` (no dash: the whole id is the category) and the prefix `orders` would also match
 * `ordersx-1`, another category. The server evaluates it with .NET regular expressions.
 */
export type CategoryFilter =
  | { readonly kind: 'none' }
  | { readonly kind: 'all'; readonly regex: string }
  | { readonly kind: 'categories'; readonly regex: string; readonly categories: ReadonlySet<string> };

/** Excludes system streams (`$all` projections, `$$metadata`, `$stats-…`, …). */
export const NON_SYSTEM_STREAMS = '^[^$]';

export function categoryFilter(categories?: readonly string[]): CategoryFilter {
  if (categories === undefined) return { kind: 'all', regex: NON_SYSTEM_STREAMS };
  // A category is the text before the first '-', so a name with a '-' matches no stream; and
  // system streams are never returned, so '$…' names match nothing either.
  const usable = [...new Set(categories)].filter((c) => !c.includes('-') && !c.startsWith('$')).sort();
  if (usable.length === 0) return { kind: 'none' };
  return {
    kind: 'categories',
    categories: new Set(usable),
    regex: `^(?:${usable.map(escapeRegex).join('|')})(?:-|$)`,
  };
}

/**
 * Whether a recorded event belongs to the filter: never a system stream or a system event type
 * (`$>` links, `$metadata`, the `$streamDeleted` tombstone…), and of one of the categories.
 */
export function acceptsEvent(filter: CategoryFilter, streamId: string, type: string): boolean {
  if (filter.kind === 'none' || streamId.startsWith('$') || type.startsWith('$')) return false;
  return filter.kind === 'all' || filter.categories.has(streamCategory(streamId));
}

const WHITESPACE_ESCAPES: Readonly<Record<string, string>> = { ' ': '\\ ', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\f': '\\f', '\v': '\\v' };

/** Escapes a literal for a .NET (and JavaScript) regular expression, like .NET's `Regex.Escape`. */
export function escapeRegex(literal: string): string {
  return literal
    .replace(/[\\*+?|{}[\]()^$.#]/g, '\\$&')
    .replace(/\s/g, (ws) => WHITESPACE_ESCAPES[ws] ?? `\\u${ws.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
