/**
 * The published binary (bin/meridian-cli.ts) picks a V8 code cache for the bundle: the one this user
 * wrote in the temporary directory, else the one shipped for this V8, else none (and then writes one).
 * Run here with small stand-in bundles next to a transpiled copy of the binary, in fresh processes.
 */
import { transformFileSync } from '@swc/core';
import { spawnSync } from 'child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { at } from '../../lib/model/lookup';

const BIN_SOURCE = join(__dirname, '..', '..', 'bin', 'meridian-cli.ts');
const V8_KEY = `v8-${process.versions.v8}-${process.arch}`;

let dir: string;
let bin: string;
let tmp: string;

/** A bundle with this id that prints `text`; the id line is what the binary keys caches on. */
function writeBundle(id: string, text: string): void {
  writeFileSync(join(bin, 'meridian.bundle.js'), `// meridian-bundle ${id}\nconsole.log(${JSON.stringify(text)});\n`);
}

function run(): { stdout: string; code: number | null } {
  const r = spawnSync(process.execPath, [join(bin, 'meridian-cli.js')], {
    encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp, NODE_OPTIONS: '' },
  });
  return { stdout: r.stdout, code: r.status };
}

const cacheFiles = () => readdirSync(tmp).filter((f) => f.endsWith('.v8cache'));
const ID_A = 'a'.repeat(32);
const ID_B = 'b'.repeat(32);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'meridian-code-cache-'));
  bin = join(dir, 'dist', 'bin');
  tmp = join(dir, 'tmp');
  mkdirSync(bin, { recursive: true });
  mkdirSync(tmp);
  const { code } = transformFileSync(BIN_SOURCE, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
  writeFileSync(join(bin, 'meridian-cli.js'), code);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('no cache: the bundle runs and leaves a cache for this bundle and V8, readable by this user only', () => {
  // GIVEN
  writeBundle(ID_A, 'bundle A');
  // WHEN
  const r = run();
  // THEN
  expect(r).toEqual({ stdout: 'bundle A\n', code: 0 });
  expect(cacheFiles()).toEqual([`meridian-geo-cli-${ID_A}-${V8_KEY}.v8cache`]);
  const file = join(tmp, at(cacheFiles(), 0, 'cache file'));
  expect(readFileSync(file, 'latin1').startsWith(ID_A)).toBe(true);
  if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
});

test('a cache that fits is used, not written again', () => {
  // GIVEN
  writeBundle(ID_A, 'bundle A');
  run();
  const file = join(tmp, at(cacheFiles(), 0, 'cache file'));
  const written = statSync(file).mtimeMs;
  // WHEN
  const r = run();
  // THEN
  expect(r.stdout).toBe('bundle A\n');
  expect(statSync(file).mtimeMs).toBe(written);
});

test('a new bundle of the same length gets its own cache and runs its own code', () => {
  // GIVEN: V8 checks only the source length, so a cache of A would be accepted for B
  writeBundle(ID_A, 'bundle A');
  run();
  writeBundle(ID_B, 'bundle B');
  // WHEN
  const r = run();
  // THEN
  expect(r.stdout).toBe('bundle B\n');
  expect(cacheFiles().sort()).toEqual([`meridian-geo-cli-${ID_A}-${V8_KEY}.v8cache`, `meridian-geo-cli-${ID_B}-${V8_KEY}.v8cache`]);
});

test('a cache file whose header names another bundle is not used and is replaced', () => {
  // GIVEN: a file under A's name that holds B's header
  writeBundle(ID_A, 'bundle A');
  run();
  const file = join(tmp, at(cacheFiles(), 0, 'cache file'));
  const data = readFileSync(file);
  data.write(ID_B, 0, 'latin1');
  writeFileSync(file, data, { mode: 0o600 });
  // WHEN
  const r = run();
  // THEN
  expect(r.stdout).toBe('bundle A\n');
  expect(readFileSync(file, 'latin1').startsWith(ID_A)).toBe(true);
});

(process.platform === 'win32' ? test.skip : test)('a cache others can write is not used and is replaced by one only this user can write', () => {
  // GIVEN
  writeBundle(ID_A, 'bundle A');
  run();
  const file = join(tmp, at(cacheFiles(), 0, 'cache file'));
  chmodSync(file, 0o666);
  // WHEN
  const r = run();
  // THEN
  expect(r.stdout).toBe('bundle A\n');
  expect(statSync(file).mode & 0o777).toBe(0o600);
});

test('the shipped cache for this V8 serves a fresh temporary directory', () => {
  // GIVEN: a cache made by one run, shipped next to the bundle as npm run build does
  writeBundle(ID_A, 'bundle A');
  run();
  const made = join(tmp, at(cacheFiles(), 0, 'cache file'));
  writeFileSync(join(bin, `meridian.bundle.${V8_KEY}.cache`), readFileSync(made));
  rmSync(made);
  // WHEN
  const r = run();
  // THEN: nothing written, so the shipped cache was accepted
  expect(r.stdout).toBe('bundle A\n');
  expect(cacheFiles()).toEqual([]);
});

test('no bundle: the module-by-module CLI next to the binary runs', () => {
  // GIVEN
  writeFileSync(join(bin, 'meridian.js'), 'console.log("module by module");\n');
  // WHEN
  const r = run();
  // THEN
  expect(r).toEqual({ stdout: 'module by module\n', code: 0 });
  expect(cacheFiles()).toEqual([]);
});

test('the bundle is wrapped exactly as Node wraps a CommonJS module (the shipped cache is made the same way)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node's own wrapper, to compare with
  const { wrap } = require('module') as { wrap(source: string): string };
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the binary's module, not run as main
  const { wrapModule } = require('../../bin/meridian-cli') as typeof import('../../bin/meridian-cli');
  for (const source of ['', 'module.exports = 1', '// a comment at the end']) expect(wrapModule(source)).toBe(wrap(source));
});
