// @tarojs/taro as jest.fn()s. Tests set Taro.request's behaviour per case.
import { useEffect } from 'react';

const ok = () => jest.fn(() => Promise.resolve({}));
const store = new Map<string, unknown>();

const Taro = {
  request: jest.fn(),
  showToast: jest.fn(),
  showLoading: jest.fn(),
  hideLoading: jest.fn(),
  showModal: ok(),
  navigateTo: ok(),
  redirectTo: ok(),
  reLaunch: ok(),
  switchTab: ok(),
  navigateBack: ok(),
  setNavigationBarTitle: jest.fn(),
  stopPullDownRefresh: jest.fn(),
  makePhoneCall: jest.fn(),
  setClipboardData: ok(),
  scanCode: jest.fn(),
  login: jest.fn(),
  onNetworkStatusChange: jest.fn(),
  offNetworkStatusChange: jest.fn(),
  getLaunchOptionsSync: jest.fn(() => ({ query: {} })),
  getStorageSync: jest.fn((k: string) => store.get(k) ?? ''),
  setStorageSync: jest.fn((k: string, v: unknown) => store.set(k, v)),
  removeStorageSync: jest.fn((k: string) => store.delete(k)),
  eventCenter: { on: jest.fn(), off: jest.fn(), trigger: jest.fn() },
};

export const useRouter = jest.fn(() => ({ params: {} as Record<string, string> }));
// biome-ignore lint/correctness/useExhaustiveDependencies: like the real hook, runs when the page shows (here: once, on mount)
export const useDidShow = (fn: () => void) => useEffect(fn, []);
export const useReachBottom = jest.fn();
export const usePullDownRefresh = jest.fn();

export default Taro;
