/**
 * meridian-geo/policy, the facts and the CLI must load neither aws-cdk-lib, constructs nor cdktf. Checked
 * in a fresh node process: jest's module registry is not node's require.cache.
 */
import { execFileSync } from 'child_process';
import { join } from 'path';
import { RUN_TS } from '../support/node-ts';

const ROOT = join(__dirname, '..', '..');
const HEAVY = /[\\/]node_modules[\\/](aws-cdk-lib|constructs|cdktf|@cdktf)[\\/]/;

function loadedModules(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)));`;
  const out = execFileSync(process.execPath, [...RUN_TS, '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out) as string[];
}

test.each(['./lib/policy', './lib/facts', './lib/cli', './lib/model'])('%s loads no aws-cdk-lib, constructs or cdktf module', (entry) => {
  const modules = loadedModules(entry);
  expect(modules.some((m) => m.includes(`${join('lib', entry.replace('./lib/', ''))}`))).toBe(true);
  expect(modules.filter((m) => HEAVY.test(m))).toEqual([]);
});
