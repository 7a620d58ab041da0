export * from './auth';
export * from './common';
export * from './customers';
export * from './ingest';
export * from './visits';
export * from './signals';
export * from './tasks';
export * from './scan';
