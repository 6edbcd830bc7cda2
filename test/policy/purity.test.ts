/**
 * meridian-geo/policy, the facts and the CLI must load neither aws-cdk-lib, constructs nor cdktf. Checked
 * in a fresh node process: jest's module registry is not node's require.cache. One process loads the
 * entries one after the other: whatever an entry loads is in node's cache after it, either new with it
 * or loaded by an entry before (and then checked there), so no entry's modules escape the check.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { RUN_TS } from '../support/node-ts';

const ROOT = join(__dirname, '..', '..');
const HEAVY = /[\\/]node_modules[\\/](aws-cdk-lib|constructs|cdktf|@cdktf)[\\/]/;

const ENTRIES = ['./lib/policy', './lib/facts', './lib/cli', './lib/model'];

/** Node's module cache after each entry is loaded, in order. */
function loadedModules(entries: readonly string[]): string[][] {
  const script = `process.stdout.write(JSON.stringify(${JSON.stringify(entries)}.map((e) => { require(e); return Object.keys(require.cache); })));`;
  const out = execFileSync(process.execPath, [...RUN_TS, '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as string[][];
}

let loaded: string[][];
beforeAll(() => {
  loaded = loadedModules(ENTRIES);
});

test.each(ENTRIES.map((e, i) => [e, i] as const))('%s loads no aws-cdk-lib, constructs or cdktf module', (entry, i) => {
  const modules = loaded[i] ?? [];
  const before = new Set(i > 0 ? loaded[i - 1] : []);
  expect(modules.some((m) => m.includes(`${join('lib', entry.replace('./lib/', ''))}`))).toBe(true);
  expect(modules.filter((m) => !before.has(m) && HEAVY.test(m))).toEqual([]);
});
