import Taro from '@tarojs/taro';

// Taro maps these onto dd.getStorageSync({key}) / dd.setStorageSync({key, data}).
export function getItem<T>(key: string): T | undefined {
  try {
    const value = Taro.getStorageSync(key);
    return value === '' || value === undefined || value === null ? undefined : (value as T);
  } catch {
    return undefined;
  }
}

export function setItem(key: string, value: unknown): void {
  Taro.setStorageSync(key, value);
}

export function removeItem(key: string): void {
  try {
    Taro.removeStorageSync(key);
  } catch {}
}
