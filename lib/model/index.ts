export * from './cidr';
export * from './errors';
export * from './load';
export * from './plan';
export * from './regions';
export * from './spec';
export * from './experiments';
