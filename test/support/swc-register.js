/**
 * `node -r ./test/support/swc-register.js`: runs TypeScript sources in a child process of a test, the way
 * Jest runs them (swc, transpile only, CommonJS). ts-node (`-r ts-node/register/transpile-only`) loads
 * the TypeScript compiler first, about 2.5 s of CPU in every spawned process; swc takes a tenth of it.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload script, run by plain node */
const fs = require('fs');
const { transformSync } = require('@swc/core');

const OPTIONS = { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: false, swcrc: false, configFile: false };

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...OPTIONS, filename });
  module._compile(code, filename);
};
