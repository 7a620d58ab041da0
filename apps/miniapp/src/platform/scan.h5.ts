import jsQR from 'jsqr';
import type { ScanOutcome } from './types';

// H5 does not use Taro.scanCode: without the WeChat JS-SDK a production build resolves
// it with no `result`. We open the back camera ourselves and decode frames with jsQR.
// The overlay is plain DOM so it works over any page; the page keeps the paste fallback.

const FRAME_MS = 120;
const MAX_SIDE = 720;

function toBase64(bytes: number[]): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, css: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.style.cssText = css;
  if (text) node.textContent = text;
  return node;
}

export async function scanCard(): Promise<ScanOutcome> {
  const media = typeof navigator !== 'undefined' ? navigator.mediaDevices : undefined;
  if (!media?.getUserMedia) {
    return { kind: 'unavailable', reason: '此浏览器不能使用摄像头，请粘贴或输入名片内容。' };
  }
  let stream: MediaStream;
  try {
    stream = await media.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  } catch (err) {
    const denied = (err as { name?: string })?.name === 'NotAllowedError';
    return {
      kind: 'unavailable',
      reason: denied
        ? '没有摄像头权限，请在浏览器设置中允许，或粘贴名片内容。'
        : '无法打开摄像头，请粘贴或输入名片内容。',
    };
  }

  return new Promise<ScanOutcome>((resolve) => {
    const overlay = el(
      'div',
      'position:fixed;inset:0;z-index:10000;background:#000;display:flex;flex-direction:column;',
    );
    overlay.setAttribute('data-testid', 'camera-overlay');
    const video = el('video', 'flex:1;width:100%;object-fit:cover;min-height:0;');
    video.setAttribute('playsinline', 'true');
    video.muted = true;
    const hint = el('div', 'color:#fff;text-align:center;padding:12px;font-size:16px;', '将名片二维码放入画面中');
    const cancel = el(
      'button',
      'margin:12px 16px 24px;height:52px;border:0;border-radius:26px;font-size:18px;background:#fff;color:#111;',
      '取消',
    );
    cancel.setAttribute('data-testid', 'camera-cancel');
    overlay.append(video, hint, cancel);
    document.body.appendChild(overlay);

    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    let done = false;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const finish = (outcome: ScanOutcome) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      for (const track of stream.getTracks()) track.stop();
      overlay.remove();
      resolve(outcome);
    };

    const tick = () => {
      if (done) return;
      if (ctx && video.readyState >= 2 && video.videoWidth > 0) {
        const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        if (code?.data) {
          finish({ kind: 'scanned', payload: code.data, rawData: toBase64(code.binaryData) });
          return;
        }
      }
      timer = setTimeout(tick, FRAME_MS);
    };

    cancel.addEventListener('click', () => finish({ kind: 'cancelled' }));
    video.srcObject = stream;
    video.play().catch(() => {});
    tick();
  });
}
