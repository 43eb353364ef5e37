/**
 * Identifiers that make two leads one contact, normalised so equal people compare equal:
 * e-mail trimmed and lower-cased; phone with spaces, dashes, dots and parentheses removed and a
 * leading `00` turned into `+` (other characters kept: a value that is not digits after `+` is
 * ignored); QQ digits only; other social ids typed `kind:value` (kind lower-case, value trimmed).
 */
/** `phone`, `email`, `qq` or another social network's name (e.g. `wechat`). */
export type IdentifierKind = string;

export function normalisePhone(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  let value = raw.replace(/[\s\-.()]/g, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  return /^\+?\d{3,}$/.test(value) ? value : null;
}

export function normaliseEmail(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const value = raw.trim().toLowerCase();
  return value.includes('@') ? value : null;
}

export function normaliseQq(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const value = raw.replace(/\D/g, '');
  return value.length > 0 ? value : null;
}

/** One typed identifier key, `kind:value`, e.g. `phone:+8613800138000`, `wechat:han_mm`. */
export function identifierKey(kind: IdentifierKind, raw: string | null | undefined): string | null {
  const k = kind.trim().toLowerCase();
  const value =
    k === 'phone' ? normalisePhone(raw) : k === 'email' ? normaliseEmail(raw) : k === 'qq' ? normaliseQq(raw) : raw == null ? null : raw.trim() || null;
  return value == null || k === '' ? null : `${k}:${value}`;
}

/** Parses `?identifier=` (`kind:value`, or a bare e-mail / phone) into its normalised key. */
export function parseIdentifier(raw: string): string | null {
  const text = raw.trim();
  const typed = TYPED.exec(text);
  if (typed) return identifierKey(typed[1]!, typed[2]);
  if (text.includes('@')) return identifierKey('email', text);
  return identifierKey('phone', text);
}

/** `kind:value`: a kind is a word (letters first), so `email:a@b.cn` is typed and `a@b.cn` is not. */
const TYPED = /^([A-Za-z][A-Za-z0-9_-]*)\s*:(.*)$/s;

/** The identifier keys of a lead's contact fields (sorted, without duplicates). */
export function leadIdentifiers(personal: { phone?: string | null; email?: string | null; qq?: string | null } | null): string[] {
  if (personal == null) return [];
  const keys = [identifierKey('phone', personal.phone), identifierKey('email', personal.email), identifierKey('qq', personal.qq)];
  return [...new Set(keys.filter((k): k is string => k != null))].sort();
}

/**
 * The keys a `?identifier=` value may mean: `kind:value` is exactly that key; a bare value with `@`
 * is an e-mail; any other bare value is a phone and, when it is all digits, also a QQ number.
 */
export function identifierCandidates(raw: string): string[] {
  const text = raw.trim();
  if (TYPED.test(text) || text.includes('@')) {
    const key = parseIdentifier(text);
    return key == null ? [] : [key];
  }
  const keys = [identifierKey('phone', text)];
  if (/^\d+$/.test(text.replace(/\s/g, ''))) keys.push(identifierKey('qq', text));
  return [...new Set(keys.filter((k): k is string => k != null))];
}
