// Taro maps the storage calls onto dd.getStorageSync({key}) / dd.setStorageSync({key, data}),
// so DingTalk shares the WeChat implementation.
export * from './storage.weapp';
