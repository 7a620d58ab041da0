// Scan → API → the right page. Shared by the home page and the result page's 重新扫描.
import Taro from '@tarojs/taro';
import { routeScan, type ScanRoute } from '../lib/scan-route';
import { scanCard } from '../platform/scan';
import { postScan } from './endpoints';
import { setScanResult } from './scan-session';

/** Sends what was read (and its raw bytes when the platform gave them) and opens the result. */
export async function identify(
  payload: string,
  rawData?: string,
  opts: { replace?: boolean } = {},
): Promise<ScanRoute> {
  Taro.showLoading({ title: '识别中…' });
  let route: ScanRoute;
  try {
    route = routeScan(await postScan(payload, rawData));
  } finally {
    Taro.hideLoading();
  }
  const go = opts.replace ? Taro.redirectTo : Taro.navigateTo;
  if (route.kind === 'existing') {
    await go({ url: `/pages/customer/index?id=${route.customerId}` });
  } else {
    setScanResult({ route, payload });
    await go({ url: '/pages/scan/index' });
  }
  return route;
}

/** The 「扫名片」 button. Returns a reason when the page should offer the paste box instead. */
export async function scanAndIdentify(opts: { replace?: boolean } = {}): Promise<string | null> {
  const outcome = await scanCard();
  if (outcome.kind === 'cancelled') return null;
  if (outcome.kind === 'unavailable') return outcome.reason;
  await identify(outcome.payload, outcome.rawData, opts);
  return null;
}
