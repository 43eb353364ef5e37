import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';

/** Packages of the distributed mode only. */
const DISTRIBUTED = /[\\/]node_modules[\\/](kafkajs|mongoose|mongodb|@kurrent|@grpc)[\\/]/;

function loadedBy(script: string): string[] {
  const out = execFileSync(process.execPath, ['-e', `${script}; process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { cwd: __dirname, encoding: 'utf8' });
  return (JSON.parse(out) as string[]).filter((path) => DISTRIBUTED.test(path));
}

describe('distributed-mode drivers', () => {
  it('are not loaded by the runtime library until a distributed store or relay is opened', () => {
    assert.deepEqual(loadedBy("require('@leadstream/runtime')"), []);
  });

  it('load on first use', () => {
    const loaded = loadedBy("const { drivers } = require('./drivers'); drivers.kafka(); drivers.mongo(); drivers.kurrentDb()");
    for (const name of ['kafkajs', 'mongodb', '@kurrent']) assert.ok(loaded.some((path) => path.includes(`node_modules/${name}/`)), `${name} is loaded`);
  });
});
