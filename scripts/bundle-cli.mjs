#!/usr/bin/env node
/**
 * Bundles the built CLI (dist/bin/meridian.js and every module it can load: dist/lib, yaml, zod) into
 * one file, dist/bin/meridian.bundle.js, which the `meridian` binary (dist/bin/meridian-cli.js) runs,
 * and produces the V8 code cache shipped next to it. A pipeline calls the CLI for every change, often
 * in a fresh container: most of a cold start went to finding, reading and compiling some 240 module
 * files, then to compiling the bundle; one file is read, and its compiled code comes with the package.
 *
 * A small CommonJS bundler, because no bundler is a dependency: it follows `require('…')` calls with a
 * string literal, resolves them with Node's own resolver at build time, and wraps each module in a
 * function. Lazy `require`s stay lazy (a module runs when first required, as before). A `require` of
 * anything it cannot resolve at build time (a Node built-in, an optional renderer library) is left to
 * Node at run time. Third-party licenses are kept in the bundle's header. What it does for start-up:
 *
 * - The output is ASCII: other characters are written as `\uXXXX` escapes (the same strings, regular
 *   expressions and comments), so the binary reads it as latin1 and V8 scans a one-byte string; one
 *   non-ASCII character anywhere (zod's locales have 20,000) makes all 1.8 MB a two-byte string.
 * - zod's 63 locales (zod/v4/locales/index.cjs re-exports each through a getter; only `en` is used
 *   unless a program asks for another) are required when their getter is first read, and every module
 *   that is then reachable only that way goes to dist/bin/meridian.bundle.deferred/, read and
 *   compiled on first use: V8 does not parse 0.4 MB that `meridian` never runs, and the code cache does
 *   not carry it. So do zod's JSON Schema and ahead-of-time compiler modules (LAZY_REEXPORTS), and
 *   every module a spec check does not run (found by a probe run of the bundle, see bundle()).
 * - Modules are minified (whitespace and comments; swc, no renaming), and those a spec check runs are
 *   written in parentheses so V8 compiles them with the bundle: without a code cache (a Node.js whose
 *   V8 the package has no cache for) V8 would otherwise pre-parse them and parse them again when run.
 * - The first line names the bundle (a hash of the rest); the binary uses a code cache only when it
 *   was made for this id.
 * - After writing the bundle it runs a representative `meridian check` in a fresh Node.js process (no
 *   NODE_OPTIONS, so no extra V8 flags) and writes that process's code cache to
 *   dist/bin/meridian.bundle.v8-<V8 version>-<arch>.cache, which the package ships; with
 *   MERIDIAN_CLI_CACHE_NODES=/path/to/node22:/path/to/node24 it does the same with those Node.js too.
 *
 *   node scripts/bundle-cli.mjs   (after `tsc -p tsconfig.build.json`; `npm run build` runs both)
 */
import fs from 'fs';
import path from 'path';
import crypto from 'crypto';
import { spawnSync } from 'child_process';
import { builtinModules, createRequire } from 'module';
import { fileURLToPath } from 'url';

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');
const require = createRequire(import.meta.url);
const binDir = path.join(root, 'dist', 'bin');
const entry = path.join(binDir, 'meridian.js');
const out = path.join(binDir, 'meridian.bundle.js');
/** Modules the bundle loads only on demand, one file each: `<module id>.js`, the module's source. */
const deferredDir = path.join(binDir, 'meridian.bundle.deferred');
/** Packages a user may lack (renderers, optional peers): never bundled, loaded by Node when asked for. */
const EXTERNAL = /^(aws-cdk-lib|constructs|cdktf|@cdktf\/|@aws-sdk\/)/;
const REQUIRE = /\brequire\((['"])([^'"\n]+)\1\)/g;
/** The spec the shipped code cache is produced with (the run compiles what `meridian check --spec` needs). */
const CACHE_SPEC = path.join(root, 'examples', 'specs', 'orders.yaml');

/**
 * Modules that re-export others through getters (TypeScript's `export { default as x } from './x'`):
 * the `require` moves into the getter, so the module behind it loads when it is first read.
 */
const DEFERRED_REEXPORTS = [/[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.cjs$/];
const REEXPORT = /var (\w+) = require\(("\.\/[\w-]+\.cjs")\);\nObject\.defineProperty\(exports, ("\w+"), \{ enumerable: true, get: function \(\) \{ return __importDefault\(\1\)\.default; \} \}\);/g;

/**
 * zod modules `meridian` never runs, re-exported by zod's entry points: the ahead-of-time compiler
 * (core/compile.cjs, 92 KiB) and the JSON Schema conversion (only `specJsonSchema()` uses it, which
 * the CLI never calls). Each is required when one of its exports is first read, so it goes to the
 * deferred file with everything reachable only through it. Per file, the requests to defer; the
 * build fails if one is not found in a shape it rewrites.
 */
const LAZY_REEXPORTS = [
  { file: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]core[\\/]index\.cjs$/, requests: ['./compile.cjs', './to-json-schema.cjs', './json-schema-processors.cjs', './json-schema-generator.cjs'] },
  {
    file: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]mini[\\/]external\.cjs$/,
    requests: ['../core/json-schema-processors.cjs'],
    // Getters of core's compile exports, left getters (the seal would read them, loading compile.cjs).
    unsealed: ['compile', 'withParser', 'INVALID', 'ZodCompileAsyncError', 'ZodCompileUnsupportedError'],
  },
];

if (process.argv[2] === '--produce-cache') {
  produceCache(process.argv.slice(3));
} else {
  bundle();
  for (const cache of writeShippedCaches()) {
    console.log(`code cache: ${path.relative(root, cache)} (${Math.round(fs.statSync(cache).size / 1024)} KiB)`);
  }
}

/**
 * `source` with each of `requests` required on first read of an export instead of at load. Two shapes
 * (TypeScript's CommonJS output): `__exportStar(require(R), exports)` becomes one getter per export of R
 * (names read from the module now, defined only where the star export would have defined them), and
 * `var x = require(R);` followed by `Object.defineProperty(exports, "n", { … return x.m; … })` lines
 * becomes those getters requiring R. The getters are non-configurable: zod's closing "seal" would
 * otherwise call them all at load (see sourceOf); they return the same values. `unsealed` names
 * getters of another file's lazy exports that only need to stay getters.
 */
function lazyReexports(file, source, requests, unsealed = []) {
  let out = source;
  for (const name of unsealed) {
    const getter = `Object.defineProperty(exports, "${name}", { enumerable: true, get: `;
    if (out.split(getter).length !== 2) throw new Error(`${path.relative(root, file)}: no getter of ${name} in the shape scripts/bundle-cli.mjs expects (LAZY_REEXPORTS)`);
    out = out.replace(getter, () => `Object.defineProperty(exports, "${name}", { enumerable: true, configurable: false, get: `);
  }
  for (const request of requests) {
    const q = JSON.stringify(request);
    const star = `__exportStar(require(${q}), exports);`;
    const named = new RegExp(`var (\\w+) = require\\(${q.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\);\n((?:Object\\.defineProperty\\(exports, "\\w+", \\{ enumerable: true, get: function \\(\\) \\{ return \\1\\.\\w+; \\} \\}\\);\n)+)`);
    if (out.split(star).length === 2) {
      const names = Object.keys(require(require.resolve(request, { paths: [path.dirname(file)] }))).filter((k) => k !== 'default');
      out = out.replace(star, () => `${JSON.stringify(names)}.forEach(function (k) { if (!Object.prototype.hasOwnProperty.call(exports, k)) Object.defineProperty(exports, k, { enumerable: true, configurable: false, get: function () { return require(${q})[k]; } }); });`);
    } else if (named.test(out)) {
      out = out.replace(named, (_, _v, lines) => lines.replace(/Object\.defineProperty\(exports, ("\w+"), \{ enumerable: true, get: function \(\) \{ return \w+\.(\w+); \} \}\);/g,
        (_l, exported, member) => `Object.defineProperty(exports, ${exported}, { enumerable: true, configurable: false, get: function () { return require(${q}).${member}; } });`));
    } else {
      throw new Error(`${path.relative(root, file)}: no re-export of ${request} in a shape scripts/bundle-cli.mjs rewrites (LAZY_REEXPORTS)`);
    }
    if (out.includes(`= require(${q})`) || out.includes(star)) throw new Error(`${path.relative(root, file)}: ${request} is still required at load`);
  }
  return out;
}

function sourceOf(file) {
  const lazyEntry = LAZY_REEXPORTS.find((e) => e.file.test(file));
  if (lazyEntry) return { source: lazyReexports(file, fs.readFileSync(file, 'utf8'), lazyEntry.requests, lazyEntry.unsealed), lazy: new Set(lazyEntry.requests) };
  const source = fs.readFileSync(file, 'utf8');
  if (!DEFERRED_REEXPORTS.some((re) => re.test(file))) return { source, lazy: new Set() };
  const lazy = new Set();
  const rewritten = source.replace(REEXPORT, (_, _name, request, exported) => {
    lazy.add(JSON.parse(request));
    // configurable: false, or the file's closing seal (zod's `seal-cjs-exports`) would call every getter
    // at once to turn it into a value: the getter stays, read-only like the value it replaces.
    return `Object.defineProperty(exports, ${exported}, { enumerable: true, configurable: false, get: function () { return __importDefault(require(${request})).default; } });`;
  });
  // Every require must have been understood, or a new shape of the file would load eagerly unnoticed.
  const requires = [...source.matchAll(REQUIRE)].length;
  if (lazy.size === 0 || lazy.size !== requires) {
    throw new Error(`${path.relative(root, file)}: deferred ${lazy.size} of ${requires} re-exports; the file no longer has the shape scripts/bundle-cli.mjs expects (DEFERRED_REEXPORTS)`);
  }
  return { source: rewritten, lazy };
}

function bundle() {
  const ids = new Map(); // absolute path -> module id
  const modules = []; // { file, source, deps: Record<request, id | { json }>, lazy: Set<request> }

  function add(file) {
    if (ids.has(file)) return ids.get(file);
    const id = modules.length;
    ids.set(file, id);
    const { source, lazy } = sourceOf(file);
    const record = { file, source, deps: {}, lazy };
    modules.push(record);
    for (const [, , request] of source.matchAll(REQUIRE)) {
      if (request in record.deps) continue;
      if (request.startsWith('node:') || builtinModules.includes(request) || EXTERNAL.test(request)) continue;
      let resolved;
      try {
        resolved = require.resolve(request, { paths: [path.dirname(file)] });
      } catch {
        continue; // left to Node at run time (an optional module, or text inside a string)
      }
      if (!resolved.endsWith('.js') && !resolved.endsWith('.cjs') && !resolved.endsWith('.json')) continue;
      record.deps[request] = resolved.endsWith('.json') ? { json: resolved } : add(resolved);
    }
    return id;
  }

  add(entry);

  // Modules reachable from the entry without passing a deferred getter go into the probe's bundle; the
  // others are deferred from the start (see below for the final bundle).
  const eager = new Set();
  const visit = (id) => {
    if (eager.has(id)) return;
    eager.add(id);
    for (const [request, dep] of Object.entries(modules[id].deps)) {
      if (typeof dep === 'number' && !modules[id].lazy.has(request)) visit(dep);
    }
  };
  visit(0);

  const rel = (file) => path.relative(root, file).split(path.sep).join('/');
  const licenses = new Map();
  for (const { file } of modules) {
    const m = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(file);
    if (!m || licenses.has(m[1])) continue;
    const dir = file.slice(0, m.index + m[0].length);
    const license = fs.readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
    const version = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
    licenses.set(m[1], `${m[1]}@${version}\n\n${license ? fs.readFileSync(path.join(dir, license), 'utf8').trim() : '(no license file)'}`);
  }

  // Each module's function once, minified (whitespace and comments; names and code unchanged): V8 scans
  // every byte of the bundle at start, and without a code cache it parses the text of every module it
  // runs again when the module's function is first called.
  const code = new Map();
  const sources = modules.map(({ file, source: raw }, id) => {
    const source = raw.replace(/^#!.*\n/, '').replace(/\n\/\/# sourceMappingURL=.*$/, '');
    if (eager.has(id)) code.set(id, minifiedFunction(source, file));
    return source;
  });
  const context = { modules, code, licenses, rel };
  const writeDeferred = (ids) => {
    fs.rmSync(deferredDir, { recursive: true, force: true });
    fs.rmSync(path.join(binDir, 'meridian.bundle.deferred.json'), { force: true }); // the single file of earlier builds
    fs.mkdirSync(deferredDir);
    for (const id of ids) fs.writeFileSync(path.join(deferredDir, `${id}.js`), sources[id]);
  };

  // Which modules `meridian check --spec` runs: a probe of the bundle records them. Only they stay in
  // the bundle's text, and their functions are written in parentheses, V8's sign for a function that
  // runs at once: it compiles them with the bundle instead of pre-parsing them there and parsing them
  // again on the first call (no code cache: 4-5 ms). Every other module (the readers of synthesized
  // output, the other commands and report formats, zod's locales and JSON Schema code) is read from
  // meridian.bundle.deferred/ and compiled when first required: V8 does not pre-parse 110 KiB a spec
  // check never runs (2-5 ms without a code cache), and the code cache, made by a spec check, never
  // held them compiled anyway (a string literal in the bundle would sit in every code cache).
  writeDeferred(modules.map((_, id) => id).filter((id) => !eager.has(id)));
  const probe = path.join(binDir, 'meridian.bundle.probe.js');
  const loadedOut = path.join(binDir, 'meridian.bundle.probe.json');
  fs.writeFileSync(probe, renderBundle(context, new Set(), loadedOut));
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const run = spawnSync(process.execPath, [probe, 'check', '--spec', CACHE_SPEC], { env, encoding: 'utf8' });
  let runs;
  try {
    if (run.status !== 0 && run.status !== 1) throw new Error(`the probe of the bundle failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    runs = new Set(JSON.parse(fs.readFileSync(loadedOut, 'utf8')));
  } finally {
    fs.rmSync(probe, { force: true });
    fs.rmSync(loadedOut, { force: true });
  }

  for (const id of runs) if (!code.has(id)) throw new Error(`the probe loaded module ${id} (${rel(modules[id].file)}), which the bundle defers`);
  const deferred = modules.map((_, id) => id).filter((id) => !runs.has(id));
  writeDeferred(deferred);
  const body = renderBundle(context, runs);
  if (/[^\x00-\x7f]/.test(body)) throw new Error('the bundle must be ASCII (meridian-cli reads it as latin1)');
  const hash = crypto.createHash('sha256').update(body);
  for (const d of deferred) hash.update(`\0${d}\0${sources[d]}`);
  const id = hash.digest('hex').slice(0, 32);
  fs.writeFileSync(out, `// meridian-bundle ${id}\n${body}`);
  const kib = (f) => Math.round(fs.statSync(f).size / 1024);
  const deferredKib = Math.round(deferred.reduce((n, d) => n + Buffer.byteLength(sources[d]), 0) / 1024);
  console.log(`bundled ${modules.length} modules: ${runs.size} that a spec check runs into ${rel(out)} (${kib(out)} KiB), ${deferred.length} that load only on demand into ${rel(deferredDir)}/ (${deferredKib} KiB)`);
}

/**
 * The bundle's text: `modules` with their minified functions in `code` (id -> text), written in
 * parentheses for the ids in `eagerly`; `probeOut`: a probe that writes the ids it loads to that file.
 */
function renderBundle({ modules, code, licenses, rel }, eagerly, probeOut) {
  const parts = [];
  parts.push(`/*! meridian CLI, bundled by scripts/bundle-cli.mjs from dist/ and:\n\n${[...licenses.values()].join('\n\n---\n\n').replace(/\*\//g, '* /')}\n*/`);
  parts.push("'use strict';");
  parts.push('const __defs = [');
  for (const [id, { file, deps }] of modules.entries()) {
    const depTable = JSON.stringify(Object.fromEntries(Object.entries(deps).map(([req, d]) => [req, typeof d === 'number' ? d : rel(d.json)])));
    // __filename/__dirname stay those of the original file, relative to the package root, so code that
    // finds package.json or schema files next to itself keeps working.
    const fn = probeOut || eagerly.has(id) ? code.get(id) : undefined;
    parts.push(`[${JSON.stringify(rel(file))}, ${depTable}, ${fn === undefined ? 'null' : eagerly.has(id) ? `(${fn})` : fn}],`);
  }
  parts.push('];');
  // Module file names by concatenation: path.join and path.dirname for ~240 modules cost ~3 ms of start-up.
  parts.push(`const __root = require('path').join(__dirname, '..', '..');
const __sep = require('path').sep;
const __cache = new Array(__defs.length);
function __load(id) {
  if (__cache[id]) return __cache[id].exports;
  const [file, deps, code] = __defs[id];
  const filename = __root + __sep + (__sep === '/' ? file : file.split('/').join(__sep));
  const dirname = filename.slice(0, filename.lastIndexOf(__sep));
  let fn = code;
  if (fn === null) {
    const source = require('fs').readFileSync(require('path').join(__dirname, ${JSON.stringify(path.basename(deferredDir))}, id + '.js'), 'utf8');
    fn = require('vm').compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename });
  }
  const module = { exports: {}, id: filename, filename, loaded: false };
  __cache[id] = module;${probeOut ? '\n  __probe.push(id);' : ''}
  const localRequire = (request) => {
    const dep = deps[request];
    if (typeof dep === 'number') return __load(dep);
    if (typeof dep === 'string') return require(require('path').join(__root, dep));
    return require(require.resolve(request, { paths: [dirname] }));
  };
  localRequire.resolve = (request) => require.resolve(request, { paths: [dirname] });
  fn.call(module.exports, module.exports, localRequire, module, filename, dirname);
  module.loaded = true;
  return module.exports;
}
${probeOut ? `const __probe = [];\nprocess.once('exit', () => require('fs').writeFileSync(${JSON.stringify(probeOut)}, JSON.stringify(__probe)));\n` : ''}__load(0);
`);
  return parts.join('\n');
}

/**
 * A module's source as one minified function expression `function (exports, require, module,
 * __filename, __dirname) {…}`: whitespace and comments go (licence comments, `/*!`, stay), names and
 * statements stay (swc, no compression or renaming). Then ASCII (see asciiCode).
 */
function minifiedFunction(source, file) {
  const swc = require('@swc/core');
  const wrapped = `(function (exports, require, module, __filename, __dirname) {\n${source}\n});`;
  const { code } = swc.minifySync(wrapped, { compress: false, mangle: false, module: false, format: { comments: 'some' } });
  const m = /^\(?(function\s*\(exports,\s*require,\s*module,\s*__filename,\s*__dirname\)\s*\{[\s\S]*\})\)?;?\s*$/.exec(code);
  if (!m) throw new Error(`${path.relative(root, file)}: the minifier did not return one function expression`);
  asciiCode(source, file); // refuses what escaping would change
  return escapeNonAscii(m[1]);
}

/** `\uXXXX` for every UTF-16 unit outside ASCII. */
function escapeNonAscii(text) {
  return text.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * JavaScript source in ASCII. An escape means the same character in a string, an untagged template, a
 * regular expression, an identifier or a comment; only the raw text of a tagged template
 * (`String.raw`) would change, so a module with non-ASCII inside one stops the build.
 */
function asciiCode(source, file) {
  if (!/[^\x00-\x7f]/.test(source)) return source;
  // An identifier cannot spell an astral character as two escapes; none occurs today.
  if (/[\ud800-\udfff]/.test(source)) throw new Error(`${path.relative(root, file)}: a character outside the Basic Multilingual Plane; extend asciiCode`);
  const ts = require('typescript');
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const check = (node) => {
    if (ts.isTaggedTemplateExpression(node) && /[^\x00-\x7f]/.test(node.template.getText(sf))) {
      throw new Error(`${path.relative(root, file)}: a tagged template holds non-ASCII text, which escaping would change`);
    }
    ts.forEachChild(node, check);
  };
  check(sf);
  return escapeNonAscii(source);
}

/**
 * Writes dist/bin/meridian.bundle.v8-<V8 version>-<arch>.cache from a `meridian check` in a fresh process
 * of this Node.js and of each one in MERIDIAN_CLI_CACHE_NODES (paths of other `node` executables,
 * separated by the path delimiter), so a release can ship a warm start for the Node.js versions its
 * users run. Returns the files written.
 */
function writeShippedCaches() {
  const isCache = (f) => /^meridian\.bundle\..*\.cache$/.test(f);
  for (const f of fs.readdirSync(binDir)) if (isCache(f)) fs.rmSync(path.join(binDir, f));
  const nodes = [process.execPath, ...(process.env.MERIDIAN_CLI_CACHE_NODES ?? '').split(path.delimiter).filter(Boolean)];
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // V8 rejects a cache made under other V8 flags
  for (const node of nodes) {
    // The report goes to the pipe and is shown only on failure: the run is for the compiled functions.
    const run = spawnSync(node, [self, '--produce-cache', 'check', '--spec', CACHE_SPEC], { env, encoding: 'utf8' });
    if (run.status !== 0 && run.status !== 1) throw new Error(`producing the code cache with ${node} failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
  }
  const written = fs.readdirSync(binDir).filter(isCache).map((f) => path.join(binDir, f));
  if (written.length === 0) throw new Error('producing the code cache wrote no file');
  return written;
}

/** In the fresh process: runs the CLI from the bundle with `args` and writes the code cache for this V8 when it exits. */
function produceCache(args) {
  const cli = require(path.join(binDir, 'meridian-cli.js'));
  const bundled = cli.readBundle(path.join(binDir, 'meridian.bundle.js'));
  if (!bundled) throw new Error('no bundle with an id line in dist/bin');
  const script = cli.compileBundle(bundled.source);
  process.argv = [process.argv[0], path.join(binDir, 'meridian-cli.js'), ...args];
  process.once('exit', (code) => {
    // 0 or 1 (findings): the check ran through; anything else is reported by the parent.
    if (code === 0 || code === 1) fs.writeFileSync(cli.shippedCacheFile(binDir), cli.cacheContents(script, bundled.id));
  });
  cli.runBundle(script);
}
