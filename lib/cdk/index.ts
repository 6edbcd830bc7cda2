/** AWS CDK renderer: constructs built on aws-cdk-lib, one file per capability, plus the top-level GeoDeployment. */
export * from './regional-keys';
export * from './network';
export * from './aurora-global';
export * from './dynamodb-global';
export * from './policy';
export * from './deployment';
export * from './alarms';
export * from './experiments';
export * from './dns';
export * from './dashboard';
export * from './tags';
export * from './automation';
