import assert from 'node:assert/strict';

/** The HTTP client the end-to-end specs share: JSON in, status + headers + parsed body out. */
export interface Json {
  [key: string]: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
}

export interface Reply {
  status: number;
  headers: Headers;
  json: Json;
  text: string;
}

export interface CallOptions {
  readonly token?: string;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Sent as it is (malformed JSON, other content types); wins over `body`. */
  readonly rawBody?: string;
  readonly headers?: Record<string, string>;
}

export async function call(url: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers['authorization'] = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Polls until `ok` holds or the time is up; returns the last value either way (assert on it). */
export async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (ok(value)) return value;
    if (Date.now() - start > timeoutMs) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Asserts a problem+json answer with this status that, when given, names `field` among its errors. */
export function assertProblem(res: Reply, status: number, field?: string): void {
  assert.equal(res.status, status, res.text);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  if (field !== undefined) {
    const fields = ((res.json['errors'] ?? []) as { field: string }[]).map((e) => e.field);
    assert.ok(fields.includes(field), `${field} is named: ${res.text}`);
  }
}
