/**
 * cdktf's `captureStackTrace` (lib/tokens/private/stack-trace.js) as test files see it (./resolver.js
 * maps cdktf's own imports here). cdktf records a stack of unlimited depth for every token it creates
 * (every resource attribute, `Lazy` and dynamic block), about 2 % of the suite's CPU. The stacks only
 * ever appear in the message of a token that fails to resolve; no test asserts on such a message and
 * nothing of ours reads them (rendered Terraform JSON does not contain them). So the capture returns
 * no frames, except inside `withRealStackTraces` (./stack-traces.ts): the run's shared example
 * renders (./outputs.ts) and the test of this module capture as cdktf does.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, loaded by Jest in a test file's sandbox */
const path = require('path');

const real = require(path.join(path.dirname(require.resolve('cdktf/package.json')), 'lib', 'tokens', 'private', 'stack-trace.js'));
const REAL_STACK_TRACES = Symbol.for('meridian.test.realStackTraces');

exports.captureStackTrace = function captureStackTrace(below) {
  return globalThis[REAL_STACK_TRACES] === true ? real.captureStackTrace(below || captureStackTrace) : [];
};
