/**
 * `meridian-geo/model`: the spec schema, the region catalog and `plan()`. Pure TypeScript: loading this
 * entry point loads neither aws-cdk-lib, constructs nor cdktf (a test checks the require cache).
 */
export * from './cidr';
export * from './errors';
export * from './iso3166';
export * from './limits';
export * from './load';
export * from './plan';
export * from './regions';
export * from './spec';
export * from './spec-types';
export * from './catalog-types';
export * from './plan-data';
export * from './plan-network';
export * from './plan-dashboard';
export * from './experiments';
