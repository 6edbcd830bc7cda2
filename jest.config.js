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
  testTimeout: 120000,
};
