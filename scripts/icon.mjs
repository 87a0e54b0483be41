// Draws the podguard icon (a shield with a check mark) as PNG files, with no image library:
// shapes are rasterised with 4x4 supersampling and written with zlib. Run: node scripts/icon.mjs
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
/** Encodes RGBA pixels (Uint8Array of size*size*4) as a PNG. */
function png(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, y * size * 4, size * 4).copy(raw, y * (size * 4 + 1) + 1);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

// Geometry in a 128-unit square.
const inRoundedRect = (x, y) => {
  const r = 22;
  const cx = Math.min(Math.max(x, r), 128 - r);
  const cy = Math.min(Math.max(y, r), 128 - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
/** The shield: flat top corners, straight sides, rounded point at the bottom. */
const inShield = (x, y, inset) => {
  const top = 16 + inset;
  const left = 24 + inset;
  const right = 104 - inset;
  if (y < top || x < left || x > right) return false;
  // The top edge rises to a peak in the middle.
  if (y < top + Math.abs(x - 64) * 0.25) return false;
  if (y <= 62) return true;
  // Below y=62 the sides curve in to the point at y=114.
  const t = (y - 62) / (114 - inset - 62);
  if (t > 1) return false;
  const half = (40 - inset) * Math.sqrt(Math.max(0, 1 - t * t));
  return Math.abs(x - 64) <= half;
};
const distToSegment = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
};
const inCheck = (x, y) => Math.min(distToSegment(x, y, 44, 64, 58, 78), distToSegment(x, y, 58, 78, 86, 46)) <= 6;

const NAVY = [11, 61, 145];
const WHITE = [255, 255, 255];
const BLUE = [47, 128, 237];

/** The colour at a point, or undefined when transparent. */
function colorAt(x, y) {
  if (!inRoundedRect(x, y)) return undefined;
  if (inCheck(x, y)) return WHITE;
  if (inShield(x, y, 5)) return BLUE;
  if (inShield(x, y, 0)) return WHITE;
  return NAVY;
}

function render(size) {
  const rgba = new Uint8Array(size * size * 4);
  const S = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = colorAt(((px + (sx + 0.5) / S) * 128) / size, ((py + (sy + 0.5) / S) * 128) / size);
          if (!c) continue;
          r += c[0];
          g += c[1];
          b += c[2];
          a++;
        }
      }
      const i = (py * size + px) * 4;
      if (a) {
        rgba[i] = Math.round(r / a);
        rgba[i + 1] = Math.round(g / a);
        rgba[i + 2] = Math.round(b / a);
        rgba[i + 3] = Math.round((255 * a) / (S * S));
      }
    }
  }
  return png(size, rgba);
}

writeFileSync(new URL('../images/extension-icon.png', import.meta.url), render(128));
writeFileSync(new URL('../task/icon.png', import.meta.url), render(32));
console.log('wrote images/extension-icon.png (128x128) and task/icon.png (32x32)');
