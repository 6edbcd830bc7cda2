/** Provider-neutral facts for the policy engine. Pure TypeScript: no aws-cdk-lib, cdktf or constructs. */
export * from './types';
export * from './errors';
export * from './from-plan';
