import Taro from '@tarojs/taro';

// A DingTalk card opens the mini-program page (dingtalk://…page=…) with its query; the launch
// query only matters for the ?go= form.
export function launchQuery(): Record<string, string | undefined> {
  try {
    return (Taro.getLaunchOptionsSync().query ?? {}) as Record<string, string | undefined>;
  } catch {
    return {};
  }
}

// Mini-programs cannot open arbitrary web pages without a registered domain: copy it.
export async function openExternal(url: string): Promise<void> {
  await Taro.setClipboardData({ data: url });
  Taro.showToast({ title: '链接已复制，请在浏览器打开', icon: 'none' });
}

export async function copyText(text: string): Promise<void> {
  await Taro.setClipboardData({ data: text });
  Taro.showToast({ title: '已复制', icon: 'success' });
}
