// clientId for offline-safe visits: a v4 UUID from a cryptographic source when the
// platform has one (H5 and jest: crypto.getRandomValues; WeChat: wx.getRandomValues
// is async, so mini-programs pass bytes in via `randomUuid(bytes)`).

export function uuidFromBytes(bytes: Uint8Array): string {
  if (bytes.length < 16) throw new Error('need 16 random bytes');
  const b = Array.from(bytes.slice(0, 16));
  b[6] = ((b[6] as number) & 0x0f) | 0x40;
  b[8] = ((b[8] as number) & 0x3f) | 0x80;
  const hex = b.map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
