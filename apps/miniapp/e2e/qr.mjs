// A vCard as a QR code: PNG for people, Y4M for Chromium's fake camera
// (--use-file-for-fake-video-capture), a white 640×480 frame with the code in the middle.
import { writeFileSync } from 'node:fs';
import QRCode from 'qrcode';

export async function writeQr(text, { png, y4m }) {
  await QRCode.toFile(png, text, { errorCorrectionLevel: 'M', margin: 4, width: 480 });
  const W = 640;
  const H = 480;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = modules.size;
  const scale = Math.floor(400 / n);
  const x0 = Math.floor((W - n * scale) / 2);
  const y0 = Math.floor((H - n * scale) / 2);
  const Y = Buffer.alloc(W * H, 235); // white (video range)
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (modules.get(r, c))
        for (let dy = 0; dy < scale; dy++)
          Y.fill(16, (y0 + r * scale + dy) * W + x0 + c * scale, (y0 + r * scale + dy) * W + x0 + (c + 1) * scale);
  const UV = Buffer.alloc((W / 2) * (H / 2), 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Y, UV, UV]);
  writeFileSync(y4m, Buffer.concat([Buffer.from(`YUV4MPEG2 W${W} H${H} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

export function vcard({ name, org, phone }) {
  return [
    'BEGIN:VCARD',
    'VERSION:3.0',
    `FN:${name}`,
    `N:${name};;;;`,
    org ? `ORG:${org}` : null,
    `TEL;TYPE=CELL:${phone}`,
    'END:VCARD',
  ]
    .filter(Boolean)
    .join('\r\n');
}
