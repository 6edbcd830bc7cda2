#!/usr/bin/env node
/**
 * What the `meridian` binary runs: the CLI bundled into one file (dist/bin/meridian.bundle.js, made by
 * scripts/bundle-cli.mjs), compiled with a V8 code cache so a pipeline that calls it for every change
 * does not pay for reading, resolving and compiling some 230 module files on each call.
 *
 * - Node.js 22.1 and later: the built-in module compile cache (`module.enableCompileCache`).
 * - Older: the bundle is compiled with a code cache kept in the OS temporary directory, keyed by the
 *   Node.js version and the bundle's size and time; V8 rejects a cache that does not fit and the
 *   bundle is compiled afresh. The cache is an optimisation only: any error falls back to a plain load.
 * - No bundle (running from the source tree): bin/meridian.ts, module by module.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const bundle = path.join(__dirname, 'meridian.bundle.js');

function runBundle(): boolean {
  let stat: fs.Stats;
  try { stat = fs.statSync(bundle); } catch { return false; }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- Node's own module API, present from 22.1
  const nodeModule = require('module') as { enableCompileCache?: () => unknown; wrap(source: string): string };
  if (typeof nodeModule.enableCompileCache === 'function') {
    nodeModule.enableCompileCache();
    require(bundle); // eslint-disable-line @typescript-eslint/no-require-imports
    return true;
  }
  const cacheFile = path.join(os.tmpdir(), `meridian-geo-cli-${process.version}-${process.arch}-${stat.size}-${Math.round(stat.mtimeMs)}.v8cache`);
  let cachedData: Buffer | undefined;
  try { cachedData = fs.readFileSync(cacheFile); } catch { /* first run with this bundle */ }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only on this path
  const vm = require('vm') as typeof import('vm');
  const script = new vm.Script(nodeModule.wrap(fs.readFileSync(bundle, 'utf8').replace(/^#!.*/, '')), { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) {
    // After the run, so the cache holds the functions the run compiled too.
    process.once('exit', () => {
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, cacheFile);
      } catch { /* a read-only temporary directory: no cache, same result */ }
    });
  }
  const moduleObject = { exports: {} };
  (script.runInThisContext() as (...args: unknown[]) => void)
    .call(moduleObject.exports, moduleObject.exports, require, moduleObject, bundle, __dirname);
  return true;
}

if (!runBundle()) require('./meridian'); // eslint-disable-line @typescript-eslint/no-require-imports
