// Import (LEAD-7) of a generated CSV of BENCH_IMPORT_ROWS rows (default 1,000,000) with 10 custom
// fields and 1 % bad rows, on the embedded host (`npm start`'s process), end to end: from the
// first byte of the upload until the lead list shows every good row. Reports rows/s, the host's
// peak RSS (VmHWM: everything the process holds, read models included), and the same figures of
// the upload and of the job alone.
// Raw baseline in the same run: parsing the same file with csv-parse (what any import must do at
// least), counting rows, in this process.
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { api, round, startBenchHost } from './lib.mjs';

const require = createRequire(join(import.meta.dirname, '..', '..', 'services', 'leads', 'package.json'));
const { parse } = require('csv-parse');

const N = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
const BAD_EVERY = 100;
const SOURCES = ['expo', 'web', 'ads', 'referral', 'call', 'mail', 'partner', 'event'];

async function writeCsv(path) {
  const header = ['Name', 'Mobile', 'Email', 'Company', 'Source', ...Array.from({ length: 10 }, (_, i) => `Custom ${i + 1}`)];
  const parts = [header.join(',') + '\r\n'];
  let bad = 0;
  let chunk = '';
  for (let i = 1; i <= N; i++) {
    const isBad = i % BAD_EVERY === 0;
    if (isBad) bad += 1;
    const customs = [];
    for (let f = 0; f < 10; f++) customs.push(f < 5 ? (isBad && f === 0 ? 'not a number' : String((i * (f + 3)) % 100_000)) : `"text ${f}, row ${i}"`);
    chunk += `Lead ${i},1${String(3_000_000_000 + i).padStart(10, '0')},lead${i}@example.com,Company ${i % 997},${SOURCES[i % SOURCES.length]},${customs.join(',')}\r\n`;
    if (chunk.length > 1 << 20) {
      parts.push(chunk);
      chunk = '';
    }
  }
  parts.push(chunk);
  await writeFile(path, parts.join(''));
  return { good: N - bad, bad };
}

async function rawParse(path) {
  const t0 = performance.now();
  let rows = 0;
  for await (const _record of createReadStream(path, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, relax_column_count: true }))) rows += 1;
  return { rows: rows - 1, seconds: (performance.now() - t0) / 1000 };
}

/** CPU seconds (user + system) of the process and of its main thread so far, from /proc (clock ticks of 1/100 s). */
async function cpuSeconds(pid) {
  const ticks = (text) => {
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  };
  const [all, main] = await Promise.all([readFile(`/proc/${pid}/stat`, 'utf8'), readFile(`/proc/${pid}/task/${pid}/stat`, 'utf8')]).catch(() => ['', '']);
  return { process: all ? ticks(all) : NaN, main: main ? ticks(main) : NaN };
}

async function peakRssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

export async function benchLeadImport() {
  const dir = await mkdtemp(join(tmpdir(), 'leadstream-import-bench-'));
  const file = join(dir, 'leads.csv');
  const { good, bad } = await writeCsv(file);
  const bytes = (await stat(file)).size;
  const raw = await rawParse(file);
  if (raw.rows !== N) throw new Error(`raw parse read ${raw.rows} rows, expected ${N}`);
  const host = await startBenchHost();
  try {
    for (let f = 0; f < 10; f++) await api(host, 'POST', '/v1/lead-schema/fields', { key: `c${f + 1}`, label: `Custom ${f + 1}`, type: f < 5 ? 'integer' : 'text' });
    const rssBefore = await peakRssMb(host.pid);
    const cpuBefore = await cpuSeconds(host.pid);
    const t0 = performance.now();
    const res = await fetch(`${host.url}/v1/lead-imports?fileName=leads.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'text/csv', 'content-length': String(bytes) },
      body: Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })),
      duplex: 'half',
    });
    const uploaded = await res.json();
    if (res.status !== 201) throw new Error(`upload → ${res.status} ${JSON.stringify(uploaded)}`);
    const uploadSeconds = (performance.now() - t0) / 1000;
    const mapping = { Name: 'name', Mobile: 'phone', Email: 'email', Company: 'company', Source: 'source' };
    for (let f = 0; f < 10; f++) mapping[`Custom ${f + 1}`] = `c${f + 1}`;
    const t1 = performance.now();
    await api(host, 'POST', `/v1/lead-imports/${uploaded.id}/start`, { mapping });
    let job;
    for (;;) {
      job = await api(host, 'GET', `/v1/lead-imports/${uploaded.id}`);
      if (job.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    if (job.state !== 'completed') throw new Error(`job ended ${job.state}: ${job.reason}`);
    const jobSeconds = (performance.now() - t1) / 1000;
    for (;;) {
      const page = await api(host, 'POST', '/v1/leads/search', { limit: 1 });
      if (page.total >= good) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const totalSeconds = (performance.now() - t0) / 1000;
    const cpuAfter = await cpuSeconds(host.pid);
    const rowsPerSec = N / totalSeconds;
    const rawPerSec = raw.rows / raw.seconds;
    const out = {
      bench: 'lead-import',
      rows: N,
      fileMB: round(bytes / 2 ** 20, 1),
      imported: job.imported,
      failed: job.failed,
      expectedGood: good,
      expectedBad: bad,
      uploadSeconds: round(uploadSeconds, 1),
      jobSeconds: round(jobSeconds, 1),
      endToEndSeconds: round(totalSeconds, 1),
      rowsPerSec: round(rowsPerSec, 0),
      rawParseSeconds: round(raw.seconds, 2),
      rawParseRowsPerSec: round(rawPerSec, 0),
      ratio: round(rawPerSec / rowsPerSec, 2),
      hostPeakRssMbBeforeImport: rssBefore,
      hostPeakRssMb: await peakRssMb(host.pid),
      // where the time goes: the host's CPU over the import, all threads and the main thread alone
      // (the main thread near endToEndSeconds means it is the bottleneck)
      hostCpuSeconds: round(cpuAfter.process - cpuBefore.process, 1),
      hostMainThreadCpuSeconds: round(cpuAfter.main - cpuBefore.main, 1),
    };
    console.log(
      `import of ${N} rows (${out.fileMB} MB, 10 custom fields, ${bad} bad): upload ${out.uploadSeconds} s, job ${out.jobSeconds} s, rows in the list after ${out.endToEndSeconds} s (${out.rowsPerSec} rows/s; imported ${job.imported}, failed ${job.failed}); raw csv-parse ${out.rawParseSeconds} s (${out.rawParseRowsPerSec} rows/s) → ${out.ratio}× slower than raw; host peak RSS ${out.hostPeakRssMb} MB (${rssBefore} MB before); host CPU ${out.hostCpuSeconds} s, its main thread ${out.hostMainThreadCpuSeconds} s`,
    );
    console.log(JSON.stringify(out));
    if (job.imported !== good || job.failed !== bad) throw new Error(`imported ${job.imported}/${good}, failed ${job.failed}/${bad}`);
    return out;
  } finally {
    await host.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchLeadImport();
