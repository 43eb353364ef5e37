#!/usr/bin/env node
// Runs the compiled test files of every project with node's test runner and ends with the line
// `N passed, N failed, N skipped`. Tiers by suffix: .spec (pure), .int-spec (real adapters),
// .e2e-spec (HTTP in, events/read models out). `--tier spec|int|e2e` narrows the run;
// any other arguments are path filters (substring of the file path).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const tierIndex = args.indexOf('--tier');
const tier = tierIndex >= 0 ? args[tierIndex + 1] : null;
const filters = tierIndex >= 0 ? args.filter((_a, i) => i !== tierIndex && i !== tierIndex + 1) : args;
const suffix = { spec: /\.spec\.js$/, int: /\.int-spec\.js$/, e2e: /\.e2e-spec\.js$/ }[tier ?? ''] ?? /\.(spec|int-spec|e2e-spec)\.js$/;

function projects() {
  const out = [];
  for (const group of ['libs', 'libs/contracts', 'services']) {
    const dir = join(root, group);
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory() && statSync(join(p, 'package.json'), { throwIfNoEntry: false })) out.push(p);
    }
  }
  return out;
}

function walk(dir, found) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, found);
    else if (suffix.test(entry.name)) found.push(p);
  }
  return found;
}

const files = projects()
  .flatMap((p) => (statSync(join(p, 'dist'), { throwIfNoEntry: false }) ? walk(join(p, 'dist'), []) : []))
  .filter((f) => filters.length === 0 || filters.some((flt) => f.includes(flt)))
  .sort();
if (files.length === 0) {
  console.error('no test files found: run `npm run build` first');
  process.exit(1);
}
console.log(`running ${files.length} test files:\n${files.map((f) => `  ${relative(root, f)}`).join('\n')}\n`);

const tapDir = mkdtempSync(join(tmpdir(), 'leadstream-tap-'));
const tapFile = join(tapDir, 'results.tap');
const child = spawn(
  process.execPath,
  [
    '--test',
    '--test-concurrency=2',
    '--test-timeout=300000',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit' },
);
child.on('exit', (code) => {
  let tap = '';
  try {
    tap = readFileSync(tapFile, 'utf8');
  } catch {
    // the runner died before writing its report
  }
  rmSync(tapDir, { recursive: true, force: true });
  const count = (name) => {
    const m = new RegExp(`^# ${name} (\\d+)$`, 'm').exec(tap);
    return m ? Number(m[1]) : 0;
  };
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  const skipped = count('skipped') + count('todo');
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
});
