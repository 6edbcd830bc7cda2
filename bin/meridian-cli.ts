#!/usr/bin/env node
/**
 * What the `meridian` binary runs: the CLI bundled into one file (dist/bin/meridian.bundle.js, made by
 * scripts/bundle-cli.mjs), compiled with a V8 code cache. A pipeline calls the CLI for every change,
 * often in a fresh container, so the first run must be fast too, not only the second.
 *
 * Which code cache, first that exists:
 * 1. one this machine wrote before (OS temporary directory) for this bundle and V8 version;
 * 2. the one shipped in the package, `meridian.bundle.v8-<V8 version>-<arch>.cache`, which `npm run build`
 *    produced from a representative `meridian check`: a fresh container whose Node.js has the same V8
 *    (`process.versions.v8`, which names Node's own patches too) starts warm;
 * 3. none: the bundle is compiled afresh and, after the run, a cache is written to the temporary
 *    directory for the next run.
 *
 * V8 rejects cached data made by another V8 version, with other V8 flags or for a source of another
 * length (`script.cachedDataRejected`, https://nodejs.org/api/vm.html#scriptcacheddatarejected); it
 * then compiles the source itself, so a rejected cache costs nothing but the read, and the run writes
 * the temporary one. V8 compares only the *length* of the source, not its content
 * (`SerializedCodeData::SourceHash` in https://github.com/nodejs/node/blob/main/deps/v8/src/snapshot/code-serializer.cc),
 * so every cache file starts with the bundle's id (a hash of its content, on the bundle's first line)
 * and is used only for that bundle. A cache is an optimisation only: any error is a plain compile.
 *
 * The bundle is ASCII (the bundler escapes everything else), read as latin1: no UTF-8 decoding, and V8
 * scans a one-byte string. No bundle (running from the source tree): bin/meridian.ts, module by module.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Script } from 'vm';

export const BUNDLE = path.join(__dirname, 'meridian.bundle.js');
const ID_LINE = /^\/\/ meridian-bundle ([0-9a-f]{32})\n/;
/** Every cache file starts with this many bytes: the bundle id, padded (a multiple of 8 keeps V8's data aligned). */
const HEADER_BYTES = 40;

/** The bundle's source and id, or undefined when there is no bundle (source tree) or it has no id. */
export function readBundle(file = BUNDLE): { source: string; id: string } | undefined {
  let source: string;
  try { source = fs.readFileSync(file, 'latin1'); } catch { return undefined; }
  const id = ID_LINE.exec(source)?.[1];
  return id === undefined ? undefined : { source, id };
}

/** V8 version and CPU architecture: a cache made elsewhere is worth trying only when both are the same. */
const V8_KEY = `v8-${process.versions.v8}-${process.arch}`;

/** The name of the cache file shipped next to the bundle for the running V8 and CPU architecture. */
export function shippedCacheFile(dir = __dirname): string {
  return path.join(dir, `meridian.bundle.${V8_KEY}.cache`);
}

/**
 * Node.js options can set V8 flags, under which V8 rejects a cache made without them: runs with other
 * options (NODE_OPTIONS=--max-old-space-size=…, say) keep a cache file of their own instead of
 * replacing each other's. FNV-1a, as loading `v8.cachedDataVersionTag()` costs more than the hash.
 */
function optionsKey(): string {
  const options = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`.trim();
  if (!options) return '';
  let hash = 0x811c9dc5;
  for (let i = 0; i < options.length; i++) hash = Math.imul(hash ^ options.charCodeAt(i), 0x01000193) >>> 0;
  return `-${hash.toString(16)}`;
}

function tmpCacheFile(id: string): string {
  return path.join(os.tmpdir(), `meridian-geo-cli-${id}-${V8_KEY}${optionsKey()}.v8cache`);
}

/**
 * V8's cached data in `file` when the file was made for bundle `id`. Cached data is compiled code that
 * V8 runs without checking it against the source, and the temporary directory is shared: with `owned`,
 * a file another user could have written (not ours, or writable by others) is not used.
 */
function readCache(file: string, id: string, owned = false): Buffer | undefined {
  let data: Buffer;
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    if (owned && !ownedByUs(fs.fstatSync(fd))) return undefined;
    data = fs.readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return data.length > HEADER_BYTES && data.toString('latin1', 0, id.length) === id ? data.subarray(HEADER_BYTES) : undefined;
}

/** The file belongs to this user and only this user can write it (no owner on Windows: its temporary directory is per user). */
function ownedByUs(stat: fs.Stats): boolean {
  return process.getuid === undefined || (stat.uid === process.getuid() && (stat.mode & 0o022) === 0);
}

/** The cache file contents for bundle `id`: its header, then V8's cached data of `script`. */
export function cacheContents(script: Script, id: string): Buffer {
  return Buffer.concat([Buffer.from(id.padEnd(HEADER_BYTES), 'latin1'), script.createCachedData()]);
}

/**
 * The bundle as a CommonJS module function, the text `require('module').wrap` gives (test/cli/code-cache.test.ts
 * compares them); loading the `module` builtin for it cost 0.3 ms of every start.
 */
export function wrapModule(source: string): string {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

/** Compiles the bundle (with `cachedData` when given) the same way for the run and for the shipped cache. */
export function compileBundle(source: string, cachedData?: Buffer, file = BUNDLE): Script {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only on this path
  const vm = require('vm') as typeof import('vm');
  return new vm.Script(wrapModule(source), { filename: file, cachedData });
}

/** Runs a compiled bundle as the CommonJS module `file` would run. */
export function runBundle(script: Script, file = BUNDLE): void {
  const moduleObject = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)
    .call(moduleObject.exports, moduleObject.exports, require, moduleObject, file, path.dirname(file));
}

function main(): boolean {
  const bundle = readBundle();
  if (!bundle) return false;
  const tmp = tmpCacheFile(bundle.id);
  const cachedData = readCache(tmp, bundle.id, true) ?? readCache(shippedCacheFile(), bundle.id);
  const script = compileBundle(bundle.source, cachedData);
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache holds the functions the run compiled too.
    process.once('exit', () => {
      try {
        // A new file only (wx: never through a link someone placed there), readable by this user alone,
        // renamed into place so no run reads half of it.
        const part = `${tmp}.${process.pid}`;
        fs.writeFileSync(part, cacheContents(script, bundle.id), { flag: 'wx', mode: 0o600 });
        fs.renameSync(part, tmp);
      } catch { /* a read-only temporary directory, or a name taken: no cache, same result */ }
    });
  }
  runBundle(script);
  return true;
}

// scripts/bundle-cli.mjs loads this file to produce the shipped cache; only the binary runs the CLI.
if (require.main === module && !main()) require('./meridian'); // eslint-disable-line @typescript-eslint/no-require-imports
