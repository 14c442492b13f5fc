export * from './interface';
export * from './errors';
export * from './keys';
export * from './factory';
export * from './sqlite';
export * from './etcd3';
