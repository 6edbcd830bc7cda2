#!/usr/bin/env node
/**
 * Bundles the built CLI (dist/bin/meridian.js and every module it can load: dist/lib, yaml, zod) into
 * one file, dist/bin/meridian.bundle.js, which the `meridian` binary (dist/bin/meridian-cli.js) runs. A pipeline calls the CLI for
 * every change, and most of its start-up went to finding, reading and compiling some 230 small module
 * files; one file is read and compiled once.
 *
 * A small CommonJS bundler, because no bundler is a dependency: it follows `require('…')` calls with a
 * string literal, resolves them with Node's own resolver at build time, and wraps each module in a
 * function. Lazy `require`s stay lazy (a module runs when first required, as before). A `require` of
 * anything it cannot resolve at build time (a Node built-in, an optional renderer library) is left to
 * Node at run time. Third-party licenses are kept in the bundle's header.
 *
 *   node scripts/bundle-cli.mjs   (after `tsc -p tsconfig.build.json`; `npm run build` runs both)
 */
import fs from 'fs';
import path from 'path';
import { builtinModules, createRequire } from 'module';
import { fileURLToPath } from 'url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const entry = path.join(root, 'dist', 'bin', 'meridian.js');
const out = path.join(root, 'dist', 'bin', 'meridian.bundle.js');
/** Packages a user may lack (renderers, optional peers): never bundled, loaded by Node when asked for. */
const EXTERNAL = /^(aws-cdk-lib|constructs|cdktf|@cdktf\/|@aws-sdk\/)/;
const REQUIRE = /\brequire\((['"])([^'"\n]+)\1\)/g;

const ids = new Map(); // absolute path -> module id
const modules = []; // { file, deps: Record<request, id> }

function add(file) {
  if (ids.has(file)) return ids.get(file);
  const id = modules.length;
  ids.set(file, id);
  const record = { file, deps: {} };
  modules.push(record);
  const source = fs.readFileSync(file, 'utf8');
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

const parts = [];
parts.push(`/*! meridian CLI, bundled by scripts/bundle-cli.mjs from dist/ and:\n\n${[...licenses.values()].join('\n\n---\n\n').replace(/\*\//g, '* /')}\n*/`);
parts.push("'use strict';");
parts.push('const __defs = [');
for (const { file, deps } of modules) {
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*\n/, '').replace(/\n\/\/# sourceMappingURL=.*$/, '');
  const depTable = JSON.stringify(Object.fromEntries(Object.entries(deps).map(([req, d]) => [req, typeof d === 'number' ? d : rel(d.json)])));
  // __filename/__dirname stay those of the original file, relative to the package root, so code that
  // finds package.json or schema files next to itself keeps working.
  parts.push(`[${JSON.stringify(rel(file))}, ${depTable}, function (exports, require, module, __filename, __dirname) {\n${source}\n}],`);
}
parts.push('];');
parts.push(`const __root = require('path').join(__dirname, '..', '..');
const __cache = new Array(__defs.length);
function __load(id) {
  if (__cache[id]) return __cache[id].exports;
  const [file, deps, fn] = __defs[id];
  const filename = require('path').join(__root, file);
  const module = { exports: {}, id: filename, filename, loaded: false };
  __cache[id] = module;
  const localRequire = (request) => {
    const dep = deps[request];
    if (typeof dep === 'number') return __load(dep);
    if (typeof dep === 'string') return require(require('path').join(__root, dep));
    return require(require.resolve(request, { paths: [require('path').dirname(filename)] }));
  };
  localRequire.resolve = (request) => require.resolve(request, { paths: [require('path').dirname(filename)] });
  fn.call(module.exports, module.exports, localRequire, module, filename, require('path').dirname(filename));
  module.loaded = true;
  return module.exports;
}
__load(0);
`);
fs.writeFileSync(out, parts.join('\n'));
console.log(`bundled ${modules.length} modules into ${rel(out)} (${Math.round(fs.statSync(out).size / 1024)} KiB)`);
