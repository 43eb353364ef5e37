#!/usr/bin/env node
// npm run service -- <identity|leads|host>: runs one compiled service in this process, configured
// by the environment (see README "Distributed mode"). Run `npm run build` first.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..');
const services = readdirSync(join(root, 'services')).filter((s) => existsSync(join(root, 'services', s, 'src', 'main.ts')));
const name = process.argv[2];
if (!name || !services.includes(name)) {
  console.error(`usage: npm run service -- <${services.join('|')}>`);
  process.exit(64);
}
const main = join(root, 'services', name, 'dist', 'main.js');
if (!existsSync(main)) {
  console.error(`${main} is missing: run npm run build first`);
  process.exit(66);
}
await import(pathToFileURL(main).href);
