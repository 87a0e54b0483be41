/**
 * A second, independent Marvin32 for tests, written from the algorithm's specification
 * (SymCrypt's description of Marvin: 32-bit little-endian words added to `s0`, the block
 * function B of four add/rotate/xor rounds, a 0x80-closed tail, two final blocks) with BigInt
 * arithmetic and a byte-at-a-time reader, sharing no code with src/secrets/marvin32.ts. Tests
 * build Azure identifiable keys with it, so a broken implementation or a wrong seed in the
 * table under test cannot make its own keys verify.
 */
const M32 = 0xffffffffn;
const rotl = (x: bigint, n: bigint): bigint => ((x << n) | (x >> (32n - n))) & M32;

/** The block function B(s0, s1) of the specification. */
function block(s0: bigint, s1: bigint): [bigint, bigint] {
  s1 ^= s0;
  s0 = rotl(s0, 20n);
  s0 = (s0 + s1) & M32;
  s1 = rotl(s1, 9n);
  s1 ^= s0;
  s0 = rotl(s0, 27n);
  s0 = (s0 + s1) & M32;
  s1 = rotl(s1, 19n);
  return [s0, s1];
}

/** Marvin over `data` with a 64-bit `seed` (s0 = low half, s1 = high half): 64-bit `s1 << 32 | s0`. */
export function referenceMarvin64(data: Uint8Array, seed: bigint): bigint {
  let s0 = seed & M32;
  let s1 = (seed >> 32n) & M32;
  // The message followed by 0x80 and zero bytes to a multiple of 4, read as LE words; the final
  // word is the one that holds the 0x80 byte, after which one more block runs on a zero word.
  const padded = [...data, 0x80];
  while (padded.length % 4) padded.push(0);
  for (let i = 0; i < padded.length; i += 4) {
    let word = 0n;
    for (let k = 3; k >= 0; k--) word = (word << 8n) | BigInt(padded[i + k]!);
    s0 = (s0 + word) & M32;
    [s0, s1] = block(s0, s1);
  }
  [s0, s1] = block(s0, s1);
  return (s1 << 32n) | s0;
}

/** The 32-bit checksum identifiable keys embed: the two halves xor-ed. */
export function referenceMarvin32(data: Uint8Array, seed: bigint): number {
  const h = referenceMarvin64(data, seed);
  return Number((h >> 32n) ^ (h & M32));
}

/** A seed from its 8-character ASCII name, big-endian ("Default0" is 0x44656661756c7430). */
export function referenceSeed(name: string): bigint {
  if (!/^[\x20-\x7e]{8}$/.test(name)) throw new Error(`seed names are 8 ASCII characters: ${name}`);
  return BigInt(`0x${Buffer.from(name, 'ascii').toString('hex')}`);
}
