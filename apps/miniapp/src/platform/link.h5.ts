import Taro from '@tarojs/taro';
import { parseQueryString } from '../lib/deeplink';

// Card links arrive as https://host/?go=customer&id=… or with a hash route; both searches count.
export function launchQuery(): Record<string, string | undefined> {
  const hash = window.location.hash;
  const hashQuery = hash.includes('?') ? hash.slice(hash.indexOf('?')) : '';
  return { ...parseQueryString(window.location.search), ...parseQueryString(hashQuery) };
}

export async function openExternal(url: string): Promise<void> {
  window.open(url, '_blank', 'noopener');
}

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard API needs a secure context; the old way works on http too.
    const area = document.createElement('textarea');
    area.value = text;
    area.style.cssText = 'position:fixed;top:-1000px;opacity:0;';
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  Taro.showToast({ title: '已复制', icon: 'success' });
}
