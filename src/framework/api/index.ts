export * from './status';
export * from './meta';
export * from './labels';
export * from './fields';
export * from './validation';
