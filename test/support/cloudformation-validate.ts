/**
 * What `@aws/cloudformation-validate` resolves to in test files (jest.config.js maps it here): the
 * worker's one copy of the module, whose engines outlive a test file (see ./environment.ts). Under
 * another test environment, the module itself.
 */
import * as path from 'path';

/** Set by ./environment.ts (SHARED_VALIDATE_KEY there; not imported, which would load Jest's environment into the sandbox). */
const shared = (globalThis as Record<string, unknown>).__meridianSharedCloudFormationValidate as (() => unknown) | undefined;

module.exports = shared !== undefined
  ? shared()
  // By path (aws-cdk-lib bundles it): in a test file, resolving the module name would find this file again.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  : require(path.join(path.dirname(require.resolve('aws-cdk-lib/package.json')), 'node_modules', '@aws', 'cloudformation-validate'));
