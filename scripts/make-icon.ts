// Draws build/icon.png (512×512): a rounded tile with a rising trend line, the app's mark.
// Run once when the mark changes: `node scripts/make-icon.ts`; the PNG is committed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const SIZE = 512;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes: Buffer) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function distanceToSegment(px: number, py: number, [ax, ay]: number[], [bx, by]: number[]): number {
  const dx = bx! - ax!;
  const dy = by! - ay!;
  const t = Math.max(0, Math.min(1, ((px - ax!) * dx + (py - ay!) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax! + t * dx), py - (ay! + t * dy));
}

const trend = [[96, 360], [176, 300], [240, 330], [320, 210], [368, 240], [424, 140]];
const radius = 96;
const margin = 24;
const rows: Buffer[] = [];
for (let y = 0; y < SIZE; y++) {
  const row = Buffer.alloc(1 + SIZE * 4);
  for (let x = 0; x < SIZE; x++) {
    const cx = Math.min(Math.max(x, margin + radius), SIZE - margin - radius);
    const cy = Math.min(Math.max(y, margin + radius), SIZE - margin - radius);
    const inside = Math.hypot(x - cx, y - cy) <= radius;
    let rgba = [0, 0, 0, 0];
    if (inside) {
      const shade = y / SIZE;
      rgba = [Math.round(18 + 20 * shade), Math.round(92 - 30 * shade), Math.round(160 - 40 * shade), 255];
      const line = Math.min(...trend.slice(1).map((point, i) => distanceToSegment(x, y, trend[i]!, point)));
      if (line < 18) rgba = [255, 255, 255, 255];
      else if (y > 400 && y < 412 && x > 96 && x < 424) rgba = [255, 255, 255, 140];
    }
    row.set(rgba, 1 + x * 4);
  }
  rows.push(row);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([8, 6, 0, 0, 0], 8);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', zlib.deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
fs.mkdirSync(path.join(root, 'build'), { recursive: true });
fs.writeFileSync(path.join(root, 'build', 'icon.png'), png);
console.log(`Wrote build/icon.png (${png.length} bytes).`);
