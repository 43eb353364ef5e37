// Shared helpers for the benchmarks: percentiles and a throw-away host process on a temp data
// directory (its own process, so the load generator does not share its event loop).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function round(n, digits = 2) {
  return Number.isFinite(n) ? Number(n.toFixed(digits)) : n;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a script as a child process serving HTTP on a free port; resolves once `readyPath` answers. */
export async function startServerProcess(script, env = {}, readyPath = '/health/ready', options = []) {
  const port = await freePort();
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=prof") goes to the server's node, for profiling
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...options, ...nodeArgs, script], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}${readyPath}`)).status === 200) break;
    } catch {
      // not yet listening
    }
    if (i > 600) throw new Error(`${script} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The node options `npm start` runs the host with (package.json `config.hostNodeOptions`). */
export function hostNodeOptions() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return String(pkg.config?.hostNodeOptions ?? '').split(' ').filter(Boolean);
}

/** The embedded host (`npm start`'s process, with its node options) on a temp data dir, with one enterprise signed in. */
export async function startBenchHost(env = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'leadstream-bench-'));
  const server = await startServerProcess(join(root, 'services', 'host', 'dist', 'main.js'), { DATA_DIR: dataDir, ...env }, '/health/ready', hostNodeOptions());
  const created = await post(server.url, '/v1/enterprises', { name: 'Bench Co', admin: { accountName: 'admin', password: 'bench password 1' } });
  const login = await post(server.url, '/v1/auth/login', { enterpriseId: created.enterpriseId, accountName: 'admin', password: 'bench password 1' });
  return {
    url: server.url,
    pid: server.pid,
    token: login.accessToken,
    async stop() {
      await server.stop();
      if (!process.env.BENCH_KEEP_DATA) await rm(dataDir, { recursive: true, force: true });
      else console.log(`data kept in ${dataDir}`);
    },
  };
}

async function post(url, path, body, token) {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A JSON call to a bench host as its signed-in admin; a non-2xx answer throws. */
export async function api(host, method, path, body) {
  const res = await fetch(`${host.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${host.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}
