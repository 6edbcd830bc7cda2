/**
 * `meridian-geo/cdktf`: renders a GeoPlan with CDK for Terraform and the AWS provider 6.x.
 * The only entry point that loads cdktf; everything cdktf lives in this folder.
 */
export * from './alarms';
export * from './aurora-global';
export * from './common';
export * from './dns';
export * from './dynamodb-global';
export * from './experiments';
export * from './families';
export * from './lean';
export * from './lean-types';
export * from './deployment';
export * from './network';
export * from './policy';
export * from './regional-keys';
export * from './synth';
// What a CDK for Terraform user needs to go from a spec to a plan, so this entry point is the only
// import such a project needs (the main entry loads aws-cdk-lib).
export { loadSpecFile, parseSpec, parseSpecText, plan, SpecError } from '../model';
export type { GeoPlan, GeoSpec, ValidSpec } from '../model';
