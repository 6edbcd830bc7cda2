/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // The examples import the package by name, as a user's app does; resolve it to the sources here.
  moduleNameMapper: { '^meridian-geo$': '<rootDir>/lib', '^meridian-geo/(.*)$': '<rootDir>/lib/$1' },
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
