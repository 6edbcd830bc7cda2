/**
 * Jest's module resolution, with one exception: cdktf's token stack-trace module, when cdktf itself
 * asks for it, resolves to ./cdktf-stack-trace.js (see there for why and what it keeps).
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by Jest as it is */
const fs = require('fs');
const path = require('path');

const CDKTF_LIB = fs.realpathSync(path.join(path.dirname(require.resolve('cdktf/package.json')), 'lib'));
const CDKTF_STACK_TRACE = path.join(CDKTF_LIB, 'tokens', 'private', 'stack-trace.js');
const STUB = path.join(__dirname, 'cdktf-stack-trace.js');

module.exports = function resolve(request, options) {
  const resolved = options.defaultResolver(request, options);
  return resolved === CDKTF_STACK_TRACE && options.basedir.startsWith(CDKTF_LIB) ? STUB : resolved;
};
