export * from './contract';
export * from './errors';
export * from './result';
export * from './api';
export * from './inbox';
export * from './automation';
