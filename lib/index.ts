/**
 * meridian-geo: multi-region AWS deployments from one description. The main entry exports the model
 * (spec schema, region catalog, `plan()`) and the AWS CDK constructs. The policy engine is
 * `meridian-geo/policy` (loads no aws-cdk-lib); the CDK for Terraform renderer is `meridian-geo/cdktf`.
 */
export * from './model';
export * from './cdk';
