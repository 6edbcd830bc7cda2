/**
 * `meridian-geo/cdktf`: renders a GeoPlan with CDK for Terraform and the AWS provider 6.x.
 * The only entry point that loads cdktf; everything cdktf lives in this folder.
 */
export * from './alarms';
export * from './aurora';
export * from './common';
export * from './dns';
export * from './dynamodb';
export * from './experiments';
export * from './families';
export * from './geo-stack';
export * from './network';
export * from './policy-gate';
export * from './regional-key';
export * from './synth';
