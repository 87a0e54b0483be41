/**
 * Marvin32 (Niels Ferguson's checksum used by .NET string hashing and by Microsoft's
 * identifiable keys), written from its published description: the input is consumed as
 * little-endian 32-bit words, each added to `lo` and mixed by a four-step add/rotate/xor
 * block; the tail is padded with 0x80 and two final blocks follow. All arithmetic is mod 2^32.
 */

function rotl(x: number, n: number): number {
  return ((x << n) | (x >>> (32 - n))) >>> 0;
}

/** The Marvin state after hashing `data` with a 64-bit seed: `[lo, hi]`, unsigned. */
function marvinState(data: Uint8Array, seed: bigint): [number, number] {
  let lo = Number(seed & 0xffffffffn) >>> 0;
  let hi = Number((seed >> 32n) & 0xffffffffn) >>> 0;
  const mix = (): void => {
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 20);
    lo = (lo + hi) >>> 0;
    hi = rotl(hi, 9);
    hi = (hi ^ lo) >>> 0;
    lo = rotl(lo, 27);
    lo = (lo + hi) >>> 0;
    hi = rotl(hi, 19);
  };
  const n = data.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    lo = (lo + (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24))) >>> 0;
    mix();
  }
  // The tail (0-3 bytes) is closed by a 0x80 byte, then zero-padded to a word.
  let last = 0x80 << ((n - i) * 8);
  for (let k = 0; i + k < n; k++) last |= data[i + k]! << (k * 8);
  lo = (lo + (last >>> 0)) >>> 0;
  mix();
  mix();
  return [lo, hi];
}

/** The 64-bit Marvin hash (`hi << 32 | lo`), as the published test vectors state it. */
export function marvin64(data: Uint8Array, seed: bigint): bigint {
  const [lo, hi] = marvinState(data, seed);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

/** The 32-bit Marvin checksum (`lo ^ hi`) as an unsigned integer, as identifiable keys embed it. */
export function marvin32(data: Uint8Array, seed: bigint): number {
  const [lo, hi] = marvinState(data, seed);
  return (lo ^ hi) >>> 0;
}

/** A checksum seed from an 8-character ASCII name (`Default0` -> 0x44656661756c7430). */
export function seedFromName(name: string): bigint {
  let seed = 0n;
  for (const ch of name) seed = (seed << 8n) | BigInt(ch.charCodeAt(0) & 0xff);
  return seed;
}
