export * from './cidr';
export * from './errors';
export * from './iso3166';
export * from './limits';
export * from './load';
export * from './plan';
export * from './regions';
export * from './spec';
