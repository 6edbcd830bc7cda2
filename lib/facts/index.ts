/** Provider-neutral facts for the policy engine. Pure TypeScript: no aws-cdk-lib, cdktf or constructs. */
export * from './types';
export * from './errors';
export * from './from-plan';
export * from './from-cloudformation';
export * from './from-terraform';
export * from './read';
