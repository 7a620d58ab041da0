export * from './random.weapp';
