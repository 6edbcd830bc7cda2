/** AWS CDK renderer: constructs built on aws-cdk-lib, one file per capability, plus the top-level GeoDeployment. */
export * from './regional-keys';
export * from './network';
export * from './aurora-global';
export * from './dynamodb-global';
export * from './policy-check';
export * from './geo-deployment';
export * from './alarms';
export * from './experiments';
export * from './geo-dns';
export * from './dashboard';
export * from './tags';
