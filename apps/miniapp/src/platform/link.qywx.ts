export * from './link.weapp';
