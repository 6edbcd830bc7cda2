// The workers (forked by Jest, they inherit the environment) and the node processes tests start get a
// young generation of 64 MB instead of 16: synthesis allocates many short-lived objects, and with the
// default size the scavenger promotes and re-scans them over and over (about 5 % of the CPU of a run).
if (!/--max-semi-space-size/.test(process.env.NODE_OPTIONS ?? '')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --max-semi-space-size=64`.trim();
}

// The workers collect garbage on their own thread (jest-worker forks them with this process's execArgv;
// NODE_OPTIONS does not take the flag). V8's parallel and concurrent GC helpers need idle cores, and on
// the 2-core machine two busy workers leave none: they only competed with the other worker (12 % less
// CPU and wall on 18 synth-heavy files).
if (!process.execArgv.includes('--single-threaded-gc')) process.execArgv.push('--single-threaded-gc');

/** @type {import('jest').Config} */
module.exports = {
  // Jest's Node environment with one CloudFormation validation engine per worker (test/support/environment.ts).
  testEnvironment: '<rootDir>/test/support/environment.ts',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Node's resolution, except for cdktf's token stack traces (test/support/stack-traces.ts).
  resolver: '<rootDir>/test/support/resolver.js',
  // The examples import the package by name, as a user's app does; resolve it to the sources here.
  moduleNameMapper: {
    '^meridian-geo$': '<rootDir>/lib',
    '^meridian-geo/(.*)$': '<rootDir>/lib/$1',
    // aws-cdk-lib's validation engine, shared by the test files of a worker (test/support/environment.ts).
    '^@aws/cloudformation-validate$': '<rootDir>/test/support/cloudformation-validate.ts',
  },
  // Synthesis with the built-in CloudFormation validator is memory-hungry; two workers fit the 2-core CI machine.
  maxWorkers: 2,
  // Synthesized example outputs are shared by every test file of a run (test/support/outputs.ts).
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  // ... and it gives the run a temporary directory of its own, removed here.
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // Low enough to notice a regression: a unit test synthesizes one small app in well under a second;
  // the few tests that synthesize whole deployments with plugins say so with a timeout of their own.
  testTimeout: 20000,
};
