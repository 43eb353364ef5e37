#!/usr/bin/env node
// Writes the standard Nx targets (build, typecheck, lint, test) into every project.json, so
// `nx run-many -t lint` etc. work the same for every project. Run after adding a project.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
for (const group of ['libs', 'libs/contracts', 'services']) {
  for (const name of readdirSync(join(root, group))) {
    const file = join(root, group, name, 'project.json');
    if (!statSync(file, { throwIfNoEntry: false })) continue;
    const project = JSON.parse(readFileSync(file, 'utf8'));
    const dir = `${group}/${name}`;
    project.targets = {
      build: { executor: 'nx:run-commands', options: { command: `tsc -b ${dir}` } },
      typecheck: { executor: 'nx:run-commands', options: { command: `tsc -b ${dir}` } },
      lint: { executor: 'nx:run-commands', options: { command: `eslint ${dir}/src` } },
      test: { executor: 'nx:run-commands', options: { command: `node tools/test/run-tests.mjs /${dir}/dist/` } },
    };
    writeFileSync(file, `${JSON.stringify(project, null, 2)}\n`);
  }
}
