export * from './scan.weapp';
