import Taro from '@tarojs/taro';

// wx storage keeps any JSON-able value; 10 MB per mini-program.
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
