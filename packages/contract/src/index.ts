export * from './auth';
export * from './common';
export * from './signals';
export * from './tasks';
export * from './scan';
