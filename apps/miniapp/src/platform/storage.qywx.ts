export * from './storage.weapp';
