// Draws the tab-bar icons (81×81 PNG, the size WeChat recommends) from rectangles, so the
// repo needs no image tools: `node tools/make-tab-icons.mjs` rewrites src/assets/tab-*.png.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

const SIZE = 81;
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'assets');

const CRC = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
const crc32 = (buf) => {
  let c = -1;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
};
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
function png(pixels) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(SIZE, 0);
  ihdr.writeUInt32BE(SIZE, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((SIZE * 4 + 1) * SIZE);
  for (let y = 0; y < SIZE; y++) pixels.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
function draw(rects, [r, g, b]) {
  const px = Buffer.alloc(SIZE * SIZE * 4);
  for (const [x0, y0, w, h] of rects)
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) px.set([r, g, b, 255], (y * SIZE + x) * 4);
  return png(px);
}

const T = 6; // stroke
// 扫码: four corner brackets and a scan line.
const scan = [
  [12, 12, 20, T],
  [12, 12, T, 20],
  [49, 12, 20, T],
  [63, 12, T, 20],
  [12, 63, 20, T],
  [12, 49, T, 20],
  [49, 63, 20, T],
  [63, 49, T, 20],
  [20, 38, 41, T],
];
// 待办: a card with three lines.
const tasks = [
  [14, 10, 53, T],
  [14, 65, 53, T],
  [14, 10, T, 61],
  [61, 10, T, 61],
  [24, 24, 33, T],
  [24, 37, 33, T],
  [24, 50, 20, T],
];
const GREY = [0x8a, 0x8f, 0x99];
const BLUE = [0x1a, 0x6d, 0xff];
for (const [name, rects] of [
  ['scan', scan],
  ['tasks', tasks],
]) {
  writeFileSync(join(out, `tab-${name}.png`), draw(rects, GREY));
  writeFileSync(join(out, `tab-${name}-active.png`), draw(rects, BLUE));
}
console.log('tab icons written to', out);
